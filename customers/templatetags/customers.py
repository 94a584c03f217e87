from django import template

from ..contact import phone_for_display

register = template.Library()


@register.filter
def phone(stored) -> str:
    """{{ customer.phone|phone }}: '+44 7700 900123' (customers.contact.phone_for_display)."""
    return phone_for_display(str(stored)) if stored else ""
