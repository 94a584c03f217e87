"""Writing what the customer tells us from their own page: one function per action."""

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_noop

from accounts.models import Location, User, new_report_token
from accounts.roles import managers_of, works_at
from attachments.models import Attachment
from attachments.services import attachment_add
from cases import events
from cases.events import Kind
from cases.models import Case, Category
from cases.services import case_report
from core.exceptions import ApplicationError
from core.services import notify
from customers.services import CustomerDetails
from followups.models import FollowUp
from followups.plans import Purpose

from .models import COMMENT_MAX_LENGTH, RATING_CHOICES, SatisfactionResponse
from .tasks import self_report_acknowledge_task

NOT_ASKED = gettext_noop("We have not asked you about this yet, so there is nothing to answer for now.")
NO_LONGER_AVAILABLE = gettext_noop("This case is no longer available.")
COMMENT_TOO_LONG = gettext_noop("Please keep your comment to 1,000 characters (it has {length}).")
UNHAPPY_TEXT = "{reference}: the customer is still unhappy (rated {rating} of 5, “{words}”; will come back: {returns})."


def satisfaction_check_sent(case_id: int) -> bool:
    return FollowUp.objects.filter(
        case_id=case_id, purpose=Purpose.SATISFACTION_CHECK.value, sent_at__isnull=False
    ).exists()


def _answer_in_words(response: SatisfactionResponse) -> str:
    said = (
        f"The customer answered the satisfaction check: {response.rating} of 5 "
        f"(“{response.get_rating_display()}”); will come back: {response.get_will_return_display().lower()}."
    )
    if response.comment:
        said += f" They wrote: “{response.comment}”"
    return said


def _check(response: SatisfactionResponse) -> None:
    """The model's own rules, as an error the page can put next to the field."""
    try:
        response.full_clean(exclude=["case"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise ApplicationError(messages[0], field=None if field == "__all__" else field) from error


@transaction.atomic
def satisfaction_record(
    *, case: Case, rating: int, will_return: str, comment: str = "", now: datetime | None = None
) -> tuple[SatisfactionResponse, bool]:
    """Record the customer's answer to the satisfaction check; returns (response, created).

    Only a case whose check was sent can be answered, and only once: the same answer
    sent twice, or two at once, keep the first (the unique case meets the loser, who
    gets the winner's). The answer goes on the case's timeline, and a low rating tells
    the assignee and the location's managers that the customer is still unhappy.
    """
    now = now or timezone.now()
    existing = SatisfactionResponse.objects.filter(case=case).first()
    if existing is not None:
        return existing, False
    if case.customer.anonymised_at is not None:
        raise ApplicationError(NO_LONGER_AVAILABLE)
    if not satisfaction_check_sent(case.pk):
        raise ApplicationError(NOT_ASKED)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        # A TextField's max_length is not checked by full_clean.
        raise ApplicationError(COMMENT_TOO_LONG.format(length=f"{len(comment):,}"), field="comment")
    response = SatisfactionResponse(case=case, rating=rating, will_return=will_return, comment=comment, created_at=now)
    _check(response)
    try:
        # A savepoint: a concurrent answer for the same case loses cleanly.
        with transaction.atomic():
            response.save()
    except IntegrityError:
        return SatisfactionResponse.objects.get(case=case), False
    events.record(
        kind=Kind.CUSTOMER_ANSWERED,
        case=case,
        now=now,
        note=_answer_in_words(response),
        payload=events.CustomerAnswered(
            response_id=response.pk,
            rating=response.rating,
            will_return=response.will_return,
            unhappy=response.unhappy,
        ),
    )
    if response.unhappy:
        text = UNHAPPY_TEXT.format(
            reference=case.reference,
            rating=response.rating,
            words=dict(RATING_CHOICES)[response.rating],
            returns=response.get_will_return_display().lower(),
        )
        people = {person.pk: person for person in managers_of(case.location_id)}
        if case.assignee is not None and case.assignee.is_active:
            people.setdefault(case.assignee.pk, case.assignee)
        for person in people.values():
            notify(user=person, text=text, url=case.get_absolute_url())
    return response, True


# The customer's own report (/report/<location's report token>/) ----------------------------

_SPACES = re.compile(r"[ \t]+")


def plain_text(text: str) -> str:
    """What someone typed, as text only: markup removed (no HTML survives, even escaped on a
    page), runs of spaces made one, lines kept."""
    lines = strip_tags(text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()


@dataclass(frozen=True)
class SelfReport:
    """What the customer says on the location's page, as plain values."""

    description: str
    name: str
    email: str = ""
    phone: str = ""
    contact_consent: bool = False
    category: str = Category.OTHER.value
    language: str = ""  # for a new customer: the language they chose (else their location's)


@transaction.atomic
def self_report_submit(
    *,
    location: Location,
    report: SelfReport,
    photo: File | None,
    submission_token: uuid.UUID,
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Log the customer's own report as an open case (channel online) with its photo, if any;
    returns (case, created). The same submit twice returns the first case. The customer is
    the one on file with this email or phone, else a new one (cases.services.case_report);
    the follow-ups are planned as for any case logged (followups reacts to case.logged). A
    refused photo refuses the report: nothing is kept. Once committed, the customer is
    emailed an acknowledgement if they have an email address on file.
    """
    now = now or timezone.now()
    case, created = case_report(
        location_id=location.pk,
        category=report.category or Category.OTHER.value,
        description=plain_text(report.description),
        customer=CustomerDetails(
            name=plain_text(report.name),
            email=report.email,
            phone=report.phone,
            preferred_channel="email" if report.email else "phone",
            contact_consent=report.contact_consent,
            language=report.language,
        ),
        submission_token=submission_token,
        now=now,
    )
    if not created:
        return case, False
    if photo is not None:
        try:
            attachment_add(case=case, upload=photo, source=Attachment.Source.CUSTOMER, actor=None, now=now)
        except ApplicationError as error:
            raise ApplicationError(error.message, field="photo") from error
    if case.customer.email:
        transaction.on_commit(lambda: self_report_acknowledge_task.delay(case.pk))
    return case, True


REPORT_LINK_FOR_OWNERS = "Only an owner gives a location's report page a new link."
# The tokens are the page's key: the audit trail says that one changed, never what they are.
TOKEN_CHANGED = ("(old)", "(new)")


@transaction.atomic
def report_link_renew(*, location: Location, actor: User) -> Location:
    """Give the location's report page a new random token: its link and QR code change, and the
    old link (printed cards' QR codes too) answers 404 from now on. For owners (who change
    locations); on the audit trail as `location.report_link_renewed`."""
    if not actor.has_perm("accounts.change_location") or not works_at(actor, location.pk):
        raise ApplicationError(REPORT_LINK_FOR_OWNERS)
    location = Location.objects.select_for_update().get(pk=location.pk)
    location.report_token = new_report_token()
    # Only this field: the back office's audit of a location's settings (cases/audit.py) reads
    # none of it, and this entry says what changed.
    location.save(update_fields=["report_token"])
    events.record(
        kind=Kind.LOCATION_REPORT_LINK_RENEWED,
        actor=actor,
        subject=f"location:{location.pk}",
        location_id=location.pk,
        note=f"New report link for {location.name}: the old link and its printed QR codes no longer work.",
        payload=events.Changed(changes={"report_token": TOKEN_CHANGED}),
    )
    return location
