"""Where people land, the notifications, and the health checks: pages about the whole house."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import Role, role_of
from core.security import bearer_token_matches
from core.services import notifications_mark_read

from ..health import health_report


class HomeView(View):
    """Where people land: managers and owners on the dashboard, frontline staff on their cases."""

    request: AuthenticatedHttpRequest

    def get(self, request):
        target = "dashboard:home" if request.user.has_perm("dashboard.view_dashboard") else "cases:list"
        return HttpResponseRedirect(reverse(target))


@method_decorator([login_not_required, never_cache], name="dispatch")
class LivenessView(View):
    """/health/live/: the process answers, 200 {"status": "ok"}. It reads neither the database
    nor the session, so a process manager that restarts a process failing it never restarts
    the web for an outage elsewhere."""

    def get(self, request):
        return JsonResponse({"status": "ok"})


@method_decorator([login_not_required, never_cache], name="dispatch")
class HealthView(View):
    """The readiness check (/health/ready/, and /health/): 200 when the database and the broker
    answer, a worker consumed a canary lately and no due follow-up waits too long for a worker
    (desk/health.py), 503 otherwise. Anyone is told only that ({"status": "ok"}); why, which
    worker, and what waits to be sent are for a monitor sending the AMENDS_HEALTH_TOKEN
    (Authorization: Bearer ...) or a signed-in owner: they map the insides for a prober."""

    def get(self, request):
        healthy, report = health_report()
        if not may_read_health_details(request):
            report = {"status": report["status"]}
        return JsonResponse(report, status=200 if healthy else 503)


def may_read_health_details(request: HttpRequest) -> bool:
    return bearer_token_matches(request, settings.AMENDS_HEALTH_TOKEN) or role_of(request.user) is Role.OWNER


class NotificationsReadView(View):
    """Mark every notification read, then go back where the user was."""

    request: AuthenticatedHttpRequest

    def post(self, request):
        notifications_mark_read(user=request.user)
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "/"
        return HttpResponseRedirect(target)
