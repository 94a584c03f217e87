"""A page that fails, for tests/core/test_sentry.py's report."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as site


@login_not_required
def fail(request):
    raise RuntimeError("the page broke")


# The site's own beside it: the 500 page links home.
urlpatterns = [path("fail/", fail), *site]
