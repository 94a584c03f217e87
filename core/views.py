from django.contrib.auth.decorators import login_not_required
from django.http import (
    HttpResponseForbidden,
    HttpResponsePermanentRedirect,
)
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.decorators import method_decorator
from django.views import View


@method_decorator(login_not_required, name="dispatch")
class FaviconView(View):
    """/favicon.ico, which browsers and feed readers ask for whatever the page links: our SVG."""

    def get(self, request):
        return HttpResponsePermanentRedirect(static("img/favicon.svg"))


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check: usually a page left open too long, or cookies off."""
    return HttpResponseForbidden(render_to_string("403_csrf.html", request=request))
