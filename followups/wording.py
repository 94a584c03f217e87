"""The owner's wording of messages to customers, one per message and language: save, go back to
the built-in one (translated), preview."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.locations import signature_of
from accounts.models import Location, User
from cases import events
from core.languages import default_language

from .messages import Wording, builtin, check_placeholders
from .models import MessageTemplate
from .plans import Purpose

# What a preview shows where staff's words go, and for a business with no location yet: in
# the preview's language.
SAMPLE_DETAILS = {
    Purpose.REMEDY_MESSAGE: _("- Full refund of £64.00\n- Personal call from the manager"),
    Purpose.CORRECTIVE_MESSAGE: _(
        "We now check every booking the evening before, so a table is never given away twice."
    ),
    Purpose.SATISFACTION_CHECK: "",
    Purpose.STAFF_MESSAGE: "",
}
SAMPLE_BUSINESS = _("Your business")
UNKNOWN_LANGUAGE = "Customers are not written to in “{language}”."


def language_name(language: str) -> str:
    """The language as staff read it in the audit trail: "French (fr)"."""
    return f"{translation.get_language_info(language)['name']} ({language})"


def _check_language(language: str) -> None:
    if language not in dict(settings.LANGUAGES):
        raise ValueError(UNKNOWN_LANGUAGE.format(language=language))


def builtin_in(purpose: Purpose, language: str) -> Wording:
    """The built-in wording of this purpose, translated into `language`."""
    with translation.override(language):
        return builtin(purpose)


def wording_in_force(purpose: Purpose, language: str | None = None) -> tuple[Wording, bool]:
    """What customers who read `language` (default: LANGUAGE_CODE's) get for this purpose now,
    and whether it is the built-in wording."""
    language = language or default_language()
    row = MessageTemplate.objects.filter(purpose=purpose.value, language=language).first()
    return (Wording(row.subject, row.body), False) if row else (builtin_in(purpose, language), True)


@transaction.atomic
def message_template_save(*, purpose: Purpose, language: str, wording: Wording, actor: User) -> MessageTemplate:
    """Customers who read `language` get this wording from now on (messages already sent keep theirs)."""
    _check_language(language)
    check_placeholders(wording.subject)
    check_placeholders(wording.body)
    before, _ = wording_in_force(purpose, language)
    row, _ = MessageTemplate.objects.update_or_create(
        purpose=purpose.value,
        language=language,
        defaults={
            "subject": wording.subject.strip(),
            "body": wording.body.strip(),
            "updated_by": actor,
            "updated_at": timezone.now(),
        },
    )
    _record_change(purpose, language, before, Wording(row.subject, row.body), actor)
    return row


@transaction.atomic
def message_template_reset(*, purpose: Purpose, language: str, actor: User) -> int:
    """Back to the built-in wording in `language`."""
    before, _ = wording_in_force(purpose, language)
    deleted, _ = MessageTemplate.objects.filter(purpose=purpose.value, language=language).delete()
    if deleted:
        _record_change(purpose, language, before, builtin_in(purpose, language), actor)
    return deleted


def _record_change(purpose: Purpose, language: str, before: Wording, after: Wording, actor: User) -> None:
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
            note=f"Wording of “{purpose.label}” in {language_name(language)} changed.",
            payload=events.Changed(changes=changes),
        )


def sample_values(purpose: Purpose, language: str | None = None) -> dict[str, str]:
    """Believable values for a preview: what a customer of the first location would read, the
    date in `language` (default: the active one)."""
    location = Location.objects.filter(is_active=True).order_by("name").first()
    with translation.override(language or translation.get_language()):
        incident_date = date_format(timezone.localtime(), "j F Y")
        business, details = str(SAMPLE_BUSINESS), str(SAMPLE_DETAILS[purpose])
    return {
        "first_name": "Alice",
        "reference": "SR-000123",
        "incident_date": incident_date,
        "business": location.name if location else business,
        "signature": signature_of(location) if location else business,
        "details": details,
        "link": "https://amends.example/c/…/",
    }
