"""What a location says of itself to customers, each with its default from the settings:
the region its phone numbers are read in, who its messages come from, and how to reach it."""

from email.utils import formataddr, parseaddr

from django.conf import settings

from .models import Location


def phone_region_of(location: Location | None) -> str:
    """The region a number typed at this location without its country code belongs to."""
    return (location.phone_region if location is not None else "") or settings.AMENDS_PHONE_REGION


def phone_regions(location_ids: list[int] | None) -> set[str]:
    """The regions a number typed at these locations (None: at any) may be in: theirs and the default."""
    regions = Location.objects.exclude(phone_region="")
    if location_ids is not None:
        regions = regions.filter(pk__in=location_ids)
    return {settings.AMENDS_PHONE_REGION, *regions.values_list("phone_region", flat=True).distinct()}


def sender_of(location: Location | None) -> str:
    """The From of an email to a customer of this location: its own name and address where
    set, else its name with DEFAULT_FROM_EMAIL's address."""
    _, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    if location is None:
        return settings.DEFAULT_FROM_EMAIL
    return formataddr((location.sender_name or location.name, location.sender_email or default_address))


def time_zone_of(location: Location) -> str:
    """The name of the location's clock (its time zone, else TIME_ZONE)."""
    return location.time_zone or settings.TIME_ZONE


def contact_line_of(location: Location | None) -> str:
    """How a customer reaches this location (its contact line, else AMENDS_CONTACT_LINE); may be empty."""
    return (location.contact_line if location is not None else "") or settings.AMENDS_CONTACT_LINE


def signature_of(location: Location) -> str:
    """The lines a message to the customer ends with: who it is from, and how to reach them."""
    return "\n".join(line for line in (location.sender_name or location.name, contact_line_of(location)) if line)
