from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("what-works/", views.WhatWorksView.as_view(), name="what_works"),
]
