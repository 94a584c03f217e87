from django.urls import path

from ..views.locations import LocationDetailView, LocationListView, LocationPrintView, LocationReportLinkView

app_name = "locations"

urlpatterns = [
    path("", LocationListView.as_view(), name="list"),
    path("<int:pk>/", LocationDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", LocationPrintView.as_view(), name="print"),
    path("<int:pk>/report-link/", LocationReportLinkView.as_view(), name="report_link"),
]
