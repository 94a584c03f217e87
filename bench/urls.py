"""The benchmark's own routes, mounted only when AMENDS_BENCH is set (config/urls.py): no
production URL serves a benchmark route."""

from django.urls import path

from .views import BareView

urlpatterns = [
    # The framework floor for the benchmark: a page that does nothing of ours.
    path("_bare/", BareView.as_view(), name="bare"),
]
