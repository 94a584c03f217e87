from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("search/", views.CustomerSearchView.as_view(), name="search"),
    path("<int:pk>/", views.CustomerDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CustomerUpdateView.as_view(), name="edit"),
]
