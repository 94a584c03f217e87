from django.urls import path

from .views_audit import AuditTrailView

app_name = "audit"
urlpatterns = [path("", AuditTrailView.as_view(), name="trail")]
