from django import template

from ..states import FollowUpState, Look, look

register = template.Library()


@register.simple_tag
def followup_look(followup, now) -> Look:
    """`{% followup_look followup now as look %}`: its icon and words (followups.states.look)."""
    return look(state=FollowUpState(followup.state), due_at=followup.due_at, now=now)
