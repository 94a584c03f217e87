"""The owner's wording of messages to customers: save, go back to the built-in one, preview."""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.locations import signature_of
from accounts.models import Location, User
from cases import events

from .messages import DEFAULTS, Wording, check_placeholders
from .models import MessageTemplate
from .plans import Purpose

SAMPLE_DETAILS = {
    Purpose.REMEDY_MESSAGE: "- Full refund of £64.00\n- Personal call from the manager",
    Purpose.CORRECTIVE_MESSAGE: "We now check every booking the evening before, so a table is never given away twice.",
    Purpose.SATISFACTION_CHECK: "",
    Purpose.STAFF_MESSAGE: "",
}


def wording_in_force(purpose: Purpose) -> tuple[Wording, bool]:
    """What customers get for this purpose now, and whether it is the built-in wording."""
    row = MessageTemplate.objects.filter(purpose=purpose.value).first()
    return (Wording(row.subject, row.body), False) if row else (DEFAULTS[purpose], True)


@transaction.atomic
def message_template_save(*, purpose: Purpose, wording: Wording, actor: User) -> MessageTemplate:
    """Customers get this wording from now on (messages already sent keep theirs)."""
    check_placeholders(wording.subject)
    check_placeholders(wording.body)
    before, _ = wording_in_force(purpose)
    row, _ = MessageTemplate.objects.update_or_create(
        purpose=purpose.value,
        defaults={
            "subject": wording.subject.strip(),
            "body": wording.body.strip(),
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    _record_change(purpose, before, Wording(row.subject, row.body), actor)
    return row


@transaction.atomic
def message_template_reset(*, purpose: Purpose, actor: User) -> int:
    """Back to the built-in wording."""
    before, _ = wording_in_force(purpose)
    deleted, _ = MessageTemplate.objects.filter(purpose=purpose.value).delete()
    if deleted:
        _record_change(purpose, before, DEFAULTS[purpose], actor)
    return deleted


def _record_change(purpose: Purpose, before: Wording, after: Wording, actor: User) -> None:
    changes = {
        name: (getattr(before, name), getattr(after, name))
        for name in ("subject", "body")
        if getattr(before, name) != getattr(after, name)
    }
    if changes:
        events.record(
            kind=events.Kind.MESSAGE_WORDING_CHANGED,
            actor=actor,
            subject=f"message:{purpose.value}",
            note=f"Wording of “{purpose.label}” changed.",
            payload=events.Changed(changes=changes),
        )


def sample_values(purpose: Purpose) -> dict[str, str]:
    """Believable values for a preview: what a customer of the first location would read."""
    location = Location.objects.filter(is_active=True).order_by("name").first()
    return {
        "first_name": "Alice",
        "reference": "SR-000123",
        "incident_date": date_format(timezone.localtime(), "j F Y"),
        "business": location.name if location else "Your business",
        "signature": signature_of(location) if location else "Your business",
        "details": SAMPLE_DETAILS[purpose],
        "link": "https://amends.example/c/…/",
    }
