from django.urls import path

from . import views

# The customer's own report: a location's public page, reached by its link or QR code.
app_name = "report"

urlpatterns = [
    path("<slug:code>/", views.SelfReportView.as_view(), name="form"),
    path("<slug:code>/received/<str:token>/", views.SelfReportReceivedView.as_view(), name="received"),
]
