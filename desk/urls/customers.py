from django.urls import path

from customers.urls import urlpatterns as customers_urlpatterns

from ..views.customers import CustomerDetailView

app_name = "customers"

urlpatterns = [
    path("<int:pk>/", CustomerDetailView.as_view(), name="detail"),
    *customers_urlpatterns,
]
