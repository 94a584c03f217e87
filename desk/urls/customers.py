from django.urls import path

from ..views.customers import CustomerDetailView, CustomerSearchView, CustomerUpdateView

app_name = "customers"

urlpatterns = [
    path("search/", CustomerSearchView.as_view(), name="search"),
    path("<int:pk>/", CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", CustomerUpdateView.as_view(), name="edit"),
]
