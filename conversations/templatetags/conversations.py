from django import template

register = template.Library()


@register.simple_tag
def delivery_of(event, followups):
    """`{% delivery_of event message_followups as followup %}`: the follow-up carrying a
    message.created entry's message (its delivery state), or None."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    followup_id = payload.get("followup_id")
    return followups.get(followup_id) if isinstance(followup_id, int) else None
