"""The app's addresses plus one that fails, for the browser test of the 500 page."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns


@login_not_required
def fail(request):
    raise RuntimeError("a failure the 500 page must cover")


urlpatterns = [*app_urlpatterns, path("_fail/", fail)]
