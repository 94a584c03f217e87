from dataclasses import replace

from django import template
from django.utils.translation import gettext

from ..rights import allowed
from ..states import FollowUpState, Look, look

register = template.Library()


@register.filter
def followup_actions(followup, user) -> frozenset[str]:
    """What this person may do to the follow-up: the buttons to show (followups/rights.py,
    which the services enforce)."""
    resolves = user.has_perm("followups.resolve_followup")
    return allowed(kind=followup.kind, state=FollowUpState(followup.state), resolves=resolves)


@register.simple_tag
def followup_look(followup, now) -> Look:
    """`{% followup_look followup now as look %}`: its icon and words (followups.states.look),
    the words in the reader's language."""
    found = look(state=FollowUpState(followup.state), due_at=followup.due_at, now=now)
    return replace(found, words=gettext(found.words))
