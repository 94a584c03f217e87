from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("<str:token>/", views.CaseStatusView.as_view(), name="case"),
]
