"""Every page a signed-in person uses says so in its types; every public page is named here.

LoginRequiredMiddleware keeps every view behind a sign-in unless it is marked
`login_not_required`. A signed-in view types its request AuthenticatedHttpRequest (a class-based
view's `request` class attribute, a function view's parameter), so it hands `request.user` to
services and selectors that take `actor: User` and mypy checks that it does. A public view
keeps HttpRequest and must be listed in PUBLIC: a new view cannot forget either.
"""

import inspect
import typing
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver, path
from django.utils.decorators import method_decorator
from django.views import View
from rest_framework.permissions import IsAuthenticated

from accounts.http import AuthenticatedHttpRequest
from api.authentication import BearerTokenAuthentication

# The pages anyone may open, signed in or not.
PUBLIC = {
    "accounts.views.SignInView",
    "accounts.views.PasswordResetView",
    "bench.views.BareView",  # the benchmark's floor, mounted only with AMENDS_BENCH
    "core.views.FaviconView",
    "desk.views.home.HealthView",  # says only "ok" to anyone; details to a token or an owner
    "desk.views.home.LivenessView",  # says only "ok", to anyone
    "desk.views.metrics.MetricsView",  # for Prometheus: a token, or loopback where allowed
    "portal.views.CaseStatusView",  # the customer's own page: a signed link
    "portal.views.SelfReportView",  # a location's page where customers report a problem
    "portal.views.SelfReportReceivedView",  # its acknowledgement: a signed token
    "inbox.views.InboundEmailView",  # a mail provider's POST: signed with AMENDS_INBOUND_SECRET instead
    "api.views.docs.SchemaView",  # the API's OpenAPI schema
    "api.views.docs.DocsView",  # and its docs page
    "api.views.docs.NotFoundView",  # any other address under /api/: a 404 problem
}
# The API's resources: no session and no sign-in page, a token in every request instead
# (api/authentication.py); test_every_api_resource_needs_a_token holds them to it.
TOKEN_AUTHENTICATED = {
    "api.views.cases.CaseListView",
    "api.views.cases.CaseDetailView",
    "api.views.cases.CaseTransitionView",
    "api.views.cases.CaseNoteView",
    "api.views.cases.CaseAssignView",
    "api.views.customers.CustomerListView",
    "api.views.customers.CustomerDetailView",
    "api.views.customers.CustomerExportView",
    "api.views.customers.CustomerEraseView",
    "api.views.recovery.SuggestionListView",
    "api.views.recovery.CaseProposalListView",
    "api.views.recovery.ApprovalQueueView",
    "api.views.recovery.ProposalDetailView",
    "api.views.recovery.ProposalDecisionView",
    "api.views.recovery.RemedyDeliveryView",
    "api.views.followups.CaseFollowUpListView",
    "api.views.followups.FollowUpListView",
    "api.views.followups.FollowUpDoneView",
    "api.views.corrective.CorrectiveActionListView",
    "api.views.corrective.CorrectiveActionDetailView",
    "api.views.corrective.CorrectiveActionLinkView",
    "api.views.corrective.CorrectiveActionCompleteView",
    "api.views.audit.AuditLogView",
}

# Django's own sign-out, password change and reset views are typed by Django; so is the back
# office (admin/, its own sign-in), whose pages are ModelAdmin methods taking Django's HttpRequest.
DJANGO_VIEWS = ("django.contrib.auth.views.",)
DJANGO_APPS = {"admin"}


def _patterns(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Callable[..., Any]]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name in DJANGO_APPS:
                continue
            yield from _patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def _name(view: Callable[..., Any]) -> str:
    target = getattr(view, "view_class", None) or inspect.unwrap(view)
    return f"{target.__module__}.{target.__qualname__}"


def _request_type(view: Callable[..., Any]) -> object:
    """What the view says its request is: a class-based view's `request` attribute, or a
    function view's first parameter."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return typing.get_type_hints(view_class).get("request")
    function = inspect.unwrap(view)
    first = next(iter(inspect.signature(function).parameters), None)
    return typing.get_type_hints(function).get(first) if first else None


def problems(patterns: list[Any], public: set[str]) -> list[str]:
    """What is wrong with these URL patterns' views: a signed-in view whose request is not
    AuthenticatedHttpRequest, a public view not in `public`, a name in `public` that is no
    public view."""
    found: list[str] = []
    public_seen: set[str] = set()
    for route, view in _patterns(patterns):
        name = _name(view)
        if name.startswith(DJANGO_VIEWS):
            continue
        if getattr(view, "login_required", True):
            if name in public:
                found.append(f"/{route} {name} is listed as public but needs a sign-in")
            if _request_type(view) is not AuthenticatedHttpRequest:
                found.append(f"/{route} {name} is signed-in: type its request AuthenticatedHttpRequest")
        else:
            public_seen.add(name)
            if name not in public:
                found.append(f"/{route} {name} is public: list it in PUBLIC or make it need a sign-in")
    found.extend(f"{name} is in PUBLIC but no URL serves it publicly" for name in sorted(public - public_seen))
    return found


def test_every_signed_in_view_types_its_request_and_every_public_one_is_listed():
    assert problems(get_resolver().url_patterns, PUBLIC | TOKEN_AUTHENTICATED) == []


def test_every_api_resource_needs_a_token():
    for _, view in _patterns(get_resolver().url_patterns):
        if _name(view) in TOKEN_AUTHENTICATED:
            view_class = view.view_class  # type: ignore[attr-defined]
            assert IsAuthenticated in view_class.permission_classes, _name(view)
            assert view_class.authentication_classes == [BearerTokenAuthentication], _name(view)


def test_the_check_finds_a_view_that_forgets():
    class Untyped(View):
        def get(self, request):
            return HttpResponse()

    class Typed(View):
        request: AuthenticatedHttpRequest

    @method_decorator(login_not_required, name="dispatch")
    class Open(View):
        pass

    def untyped_function(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    def typed_function(request: AuthenticatedHttpRequest) -> HttpResponse:
        return HttpResponse()

    patterns = [
        path("untyped/", Untyped.as_view()),
        path("typed/", Typed.as_view()),
        path("open/", Open.as_view()),
        path("untyped-function/", untyped_function),
        path("typed-function/", typed_function),
    ]
    found = problems(patterns, {"nowhere.View"})
    here = "tests.test_signed_in_views.test_the_check_finds_a_view_that_forgets.<locals>"
    assert found == [
        f"/untyped/ {here}.Untyped is signed-in: type its request AuthenticatedHttpRequest",
        f"/open/ {here}.Open is public: list it in PUBLIC or make it need a sign-in",
        f"/untyped-function/ {here}.untyped_function is signed-in: type its request AuthenticatedHttpRequest",
        "nowhere.View is in PUBLIC but no URL serves it publicly",
    ]
