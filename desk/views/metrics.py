"""/metrics, for Prometheus: not public. A scraper sends `Authorization: Bearer
<AMENDS_METRICS_TOKEN>`, or, where AMENDS_METRICS_ALLOW_LOOPBACK says so, asks from this machine
(a Prometheus or an agent beside the app). With neither set the address does not exist (404).
The figures map the insides (what waits, what failed, which views are slow) for a prober."""

import ipaddress

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseNotFound
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from prometheus_client import CONTENT_TYPE_LATEST

from core.metrics import exposition
from core.security import bearer_token_matches

from ..metrics import BacklogCollector

# A request a proxy on this machine passes on comes from loopback too: it says so in one of these.
FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


@method_decorator([login_not_required, never_cache], name="dispatch")
class MetricsView(View):
    def get(self, request):
        if not settings.AMENDS_METRICS_TOKEN and not settings.AMENDS_METRICS_ALLOW_LOOPBACK:
            return HttpResponseNotFound()
        if not may_read_metrics(request):
            return HttpResponseForbidden()
        return HttpResponse(exposition(BacklogCollector()), content_type=CONTENT_TYPE_LATEST)


def may_read_metrics(request: HttpRequest) -> bool:
    if bearer_token_matches(request, settings.AMENDS_METRICS_TOKEN):
        return True
    return settings.AMENDS_METRICS_ALLOW_LOOPBACK and from_loopback(request)


def from_loopback(request: HttpRequest) -> bool:
    if any(header in request.headers for header in FORWARDING_HEADERS):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback
