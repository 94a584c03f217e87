from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View


@method_decorator(login_not_required, name="dispatch")
class BareView(View):
    """Does nothing of Amends' own: the framework floor the benchmark compares against."""

    def get(self, request):
        return HttpResponse("ok", content_type="text/plain")
