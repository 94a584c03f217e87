from django.urls import path

from . import views

# Mounted by desk/urls/customers.py, which adds the top floor's pages to this namespace.
app_name = "customers"

urlpatterns = [
    path("search/", views.CustomerSearchView.as_view(), name="search"),
    path("<int:pk>/edit/", views.CustomerUpdateView.as_view(), name="edit"),
]
