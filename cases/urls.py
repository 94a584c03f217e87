from django.urls import path

from . import views

# Mounted by desk/urls/cases.py, which adds the top floor's pages to this namespace.
app_name = "cases"

urlpatterns = [
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("severity/", views.SeverityPreviewView.as_view(), name="severity_preview"),
]
