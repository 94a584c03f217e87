from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.InboxView.as_view(), name="list"),
]
