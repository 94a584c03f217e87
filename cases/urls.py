from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("severity/", views.SeverityPreviewView.as_view(), name="severity_preview"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
]
