from django.urls import path

from . import views

# The customer's own report: a location's public page, reached by its link or QR code. The
# location is named by its random report token (never its short code, which anyone could guess).
app_name = "report"

urlpatterns = [
    path("<slug:token>/", views.SelfReportView.as_view(), name="form"),
    path("<slug:token>/received/<str:receipt>/", views.SelfReportReceivedView.as_view(), name="received"),
]
