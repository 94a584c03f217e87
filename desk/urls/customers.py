from django.urls import path

from ..views.customers import CustomerDetailView, CustomerSearchView, CustomerUpdateView
from ..views.privacy import CustomerEraseView, CustomerExportView

app_name = "customers"

urlpatterns = [
    path("search/", CustomerSearchView.as_view(), name="search"),
    path("<int:pk>/", CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", CustomerUpdateView.as_view(), name="edit"),
    path("<int:pk>/export/", CustomerExportView.as_view(), name="export"),
    path("<int:pk>/erase/", CustomerEraseView.as_view(), name="erase"),
]
