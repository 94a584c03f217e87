"""The what-if page: a draft policy replayed over the last months' cases, then published."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from core.exceptions import ApplicationError
from core.money import format_money

from . import replays
from .forms import ReplayScopeForm
from .replay import ALL, FIGURES
from .selectors import policy_in_force
from .services import replays as replay_services
from .views import published


class PolicyReplayView(PermissionRequiredMixin, TemplateView):
    """A draft policy replayed over the last months' cases beside the policy in force; the page
    reloads itself until the replay is done, then the owner may publish the draft."""

    request: AuthenticatedHttpRequest

    template_name = "recovery/replay.html"
    permission_required = "recovery.add_policyversion"

    def get_context_data(self, **kwargs):
        replay = replays.replay_get(self.request.user, self.kwargs["pk"])
        scopes = (replay.result or {}).get("scopes", {})
        query = ReplayScopeForm(self.request.GET or None)
        chosen = str(query.cleaned_data["location"]) if query.is_valid() and query.cleaned_data["location"] else ALL
        shown = chosen if scopes.get(chosen) else ALL
        scope = scopes.get(shown)
        if scope:
            scope = {**scope, "name": _scope_name(scope["name"], shown)}
        in_force = policy_in_force().row
        return super().get_context_data(
            replay=replay,
            scope=scope,
            chosen=chosen,
            scopes=[(key, _scope_name(entry["name"], key)) for key, entry in scopes.items()],
            rows=replay_rows(scope) if scope else [],
            stale=replay.based_on_id != in_force.pk and replay.published_id is None,
            in_force=in_force,
            **kwargs,
        )

    def post(self, request, pk):
        try:
            version = replay_services.policy_replay_publish(actor=request.user, replay_id=pk)
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect("recovery:replay", pk=pk)
        return published(request, version)


SHOW: dict[str, Callable[[Any], str]] = {
    "money": format_money,
    "count": lambda n: f"{n:,}",
    "share": lambda share: f"{share:.0%}",
}


def replay_rows(scope: dict) -> list[tuple[str, str, str]]:
    """The replay's figures as the page shows them, draft beside policy in force."""
    return [
        (gettext(label), SHOW[kind](pick(scope["draft"])), SHOW[kind](pick(scope["in_force"])))
        for label, pick, kind in FIGURES
    ]


def _scope_name(name: str, key: str) -> str:
    """A scope's name as the page shows it: a location's own, or "All locations" translated."""
    return gettext(name) if key == ALL else name
