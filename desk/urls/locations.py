from django.urls import path

from ..views.locations import LocationDetailView, LocationListView, LocationPrintView

app_name = "locations"

urlpatterns = [
    path("", LocationListView.as_view(), name="list"),
    path("<int:pk>/", LocationDetailView.as_view(), name="detail"),
    path("<int:pk>/print/", LocationPrintView.as_view(), name="print"),
]
