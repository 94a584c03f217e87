from django.urls import path

from . import views

app_name = "webhooks"

urlpatterns = [
    path("", views.EndpointListView.as_view(), name="endpoints"),
    path("new/", views.EndpointCreateView.as_view(), name="endpoint_add"),
    path("<int:pk>/", views.EndpointView.as_view(), name="endpoint"),
]
