"""How a case's first-contact deadline reads: counted in working time, on the location's clock."""

from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.locations import time_zone_of

register = template.Library()

FORMAT = "D j M, H:i"


@register.simple_tag
def first_contact_due(case) -> str:
    """ "Mon 7 Dec, 13:00 (working hours)" for a deadline counted in the location's working time
    (read on the location's clock, its zone named where it is not the page's); else the time."""
    if not case.sla_in_working_time:
        return date_format(timezone.localtime(case.sla_due_at), FORMAT)
    zone = ZoneInfo(time_zone_of(case.location))
    local = case.sla_due_at.astimezone(zone)
    named = "" if zone.key == timezone.get_current_timezone_name() else f" {local:%Z}"
    return gettext("%(due)s (working hours)") % {"due": f"{date_format(local, FORMAT)}{named}"}
