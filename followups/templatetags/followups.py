from django import template

from ..rights import allowed
from ..states import FollowUpState

register = template.Library()


@register.filter
def followup_actions(followup, user) -> frozenset[str]:
    """What this person may do to the follow-up: the buttons to show (followups/rights.py,
    which the services enforce)."""
    resolves = user.has_perm("followups.resolve_followup")
    return allowed(kind=followup.kind, state=FollowUpState(followup.state), resolves=resolves)
