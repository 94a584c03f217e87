"""How the audit trail shows a value before or after a change."""

from django import template
from django.utils.translation import gettext

register = template.Library()


@register.filter
def audit_value(value) -> str:
    """A payload's value in words: lists joined, yes and no, a dash for nothing."""
    if value is None or value == []:
        return "—"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


@register.filter
def field_words(name: str) -> str:
    return name.replace("_", " ")
