"""Writing to the customer from the case, and the saved replies staff start from.

A message is a follow-up (purpose `staff_message`) due at once: the follow-ups' sender sends
it once, retries it, and marks it failed after its attempts, and the case's timeline shows
`message.created` with the delivery state. One service per change; each records its line.
"""

import uuid
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from accounts.role import Role
from accounts.roles import role_of, works_at
from cases import events
from cases.events import Kind
from cases.models import Case
from core.exceptions import ApplicationError
from core.languages import default_language
from followups.messages import check_placeholders
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import followup_schedule, staff_message_compose
from followups.tasks import followup_send_task

from .keepers import may_keep
from .models import SavedReply
from .selectors import reply_for_case

# Refusals staff read: marked here, translated where they are raised (plain strings, so a
# caller or a test may compare them).
NOT_A_KEEPER = gettext_noop("Only an owner or a manager keeps saved replies.")
MANAGER_NEEDS_LOCATION = gettext_noop("A manager keeps replies for a location of theirs: choose one.")
NOT_YOURS_EVERYWHERE = gettext_noop(
    "This reply is kept for every location: only an owner, or a manager there, changes it."
)
NOT_YOURS_ELSEWHERE = gettext_noop(
    "This reply is kept for another location: only an owner, or a manager there, changes it."
)
TITLE_NEEDED = gettext_noop("Give the reply a title staff will know it by.")
SUBJECT_NEEDED = gettext_noop("A message needs a subject.")
BODY_NEEDED = gettext_noop("Write the message.")
NOT_YOUR_LOCATION = gettext_noop("This case is at a location you do not work at.")
NO_CONSENT = gettext_noop("The customer has not agreed to be contacted: nothing can be sent to them.")
NO_EMAIL = gettext_noop("The customer has no email address: send a text message, or add their address on their page.")
NO_PHONE = gettext_noop("The customer has no mobile number: send an email, or add their number on their page.")
UNKNOWN_CHANNEL = gettext_noop("A message goes by email or text message.")
REPLY_NOT_HERE = gettext_noop("That saved reply is not offered at this case's location.")
TOO_LONG = gettext_noop(
    "The message is too long once the placeholders are filled in ({length} characters): shorten it."
)

CHANNELS = (FollowUp.Channel.EMAIL.value, FollowUp.Channel.SMS.value)


def _not_yours(reply: SavedReply) -> str:
    return NOT_YOURS_EVERYWHERE if reply.location_id is None else NOT_YOURS_ELSEWHERE


def _checked(text: str, field: str, needed: str) -> str:
    text = text.strip()
    if not text:
        raise ApplicationError(gettext(needed), field=field)
    try:
        check_placeholders(text)
    except ValueError as error:
        raise ApplicationError(str(error), field=field) from error
    return text


def _wording(title: str, subject: str, body: str) -> dict[str, str]:
    return {
        "title": _checked(title, "title", TITLE_NEEDED),
        "subject": _checked(subject, "subject", SUBJECT_NEEDED),
        "body": _checked(body, "body", BODY_NEEDED),
    }


def _record(kind: str, reply: SavedReply, actor: User, changes: dict[str, tuple[Any, Any]], note: str) -> None:
    events.record(
        kind=kind,
        actor=actor,
        subject=f"saved_reply:{reply.pk}",
        location_id=reply.location_id,
        note=note,
        payload=events.Changed(changes=changes),
    )


@transaction.atomic
def saved_reply_create(
    *,
    actor: User,
    title: str,
    subject: str,
    body: str,
    location_id: int | None,
    language: str = "",
    now: datetime | None = None,
) -> SavedReply:
    """A new saved reply in `language` (default: LANGUAGE_CODE's), offered at once on the cases
    of its location (or of every location) whose customer reads that language."""
    now = now or timezone.now()
    if not may_keep(actor, location_id):
        raise ApplicationError(gettext(NOT_A_KEEPER if role_of(actor) is not Role.MANAGER else MANAGER_NEEDS_LOCATION))
    reply = SavedReply(
        **_wording(title, subject, body),
        location_id=location_id,
        language=language or default_language(),
        created_by=actor,
        updated_by=actor,
        created_at=now,
        updated_at=now,
    )
    reply.full_clean(exclude=["location", "created_by", "updated_by"])
    reply.save()
    fields = ("title", "subject", "body", "location_id", "language")
    changes = {name: (None, getattr(reply, name)) for name in fields}
    _record(Kind.SAVED_REPLY_CREATED, reply, actor, changes, f"Saved reply “{reply.title}” added.")
    return reply


@transaction.atomic
def saved_reply_update(
    *,
    reply: SavedReply,
    actor: User,
    title: str,
    subject: str,
    body: str,
    location_id: int | None,
    language: str = "",
    now: datetime | None = None,
) -> SavedReply:
    """Change a saved reply's words, its language ("" keeps it) or where it is offered. Messages
    already written from it keep theirs."""
    now = now or timezone.now()
    reply = SavedReply.objects.select_for_update().get(pk=reply.pk)
    if not may_keep(actor, reply.location_id):
        raise ApplicationError(gettext(_not_yours(reply)))
    if not may_keep(actor, location_id):
        raise ApplicationError(gettext(MANAGER_NEEDS_LOCATION), field="location")
    wording = {**_wording(title, subject, body), "location_id": location_id, "language": language or reply.language}
    changes = {name: (getattr(reply, name), value) for name, value in wording.items() if getattr(reply, name) != value}
    if not changes:
        return reply
    for name, value in wording.items():
        setattr(reply, name, value)
    reply.updated_by, reply.updated_at = actor, now
    reply.full_clean(exclude=["location", "created_by", "updated_by"])
    reply.save(update_fields=[*wording, "updated_by", "updated_at"])
    _record(Kind.SAVED_REPLY_CHANGED, reply, actor, changes, f"Saved reply “{reply.title}” changed.")
    return reply


@transaction.atomic
def saved_reply_retire(*, reply: SavedReply, actor: User, now: datetime | None = None) -> SavedReply:
    """No longer offered to staff. Retiring twice does nothing the second time."""
    return _set_offered(reply, actor, offered=False, now=now or timezone.now())


@transaction.atomic
def saved_reply_restore(*, reply: SavedReply, actor: User, now: datetime | None = None) -> SavedReply:
    """Offered to staff again, with the words it had when it was retired. Whoever may retire
    it may restore it; restoring an active reply does nothing."""
    return _set_offered(reply, actor, offered=True, now=now or timezone.now())


def _set_offered(reply: SavedReply, actor: User, *, offered: bool, now: datetime) -> SavedReply:
    reply = SavedReply.objects.select_for_update().get(pk=reply.pk)
    if not may_keep(actor, reply.location_id):
        raise ApplicationError(gettext(_not_yours(reply)))
    if reply.is_active == offered:
        return reply
    reply.is_active = offered
    reply.updated_by, reply.updated_at = actor, now
    reply.save(update_fields=["is_active", "updated_by", "updated_at"])
    kind, said = (Kind.SAVED_REPLY_RESTORED, "restored") if offered else (Kind.SAVED_REPLY_RETIRED, "retired")
    _record(kind, reply, actor, {"is_active": (not offered, offered)}, f"Saved reply “{reply.title}” {said}.")
    return reply


def message_check(*, case: Case, actor: User, channel: str, saved_reply_id: int | None) -> SavedReply | None:
    """What refuses a message before its words are read, the one check the composer's preview
    and `message_send` both make: a case at a location the actor does not work at, a customer
    the channel cannot reach, a saved reply not offered on this case (retired, kept for another
    location, or written in a language the customer does not read). Returns the saved reply the
    message starts from (None: staff's own words)."""
    if not works_at(actor, case.location_id):
        raise ApplicationError(gettext(NOT_YOUR_LOCATION))
    check_reachable(case, channel)
    if saved_reply_id is None:
        return None
    reply = reply_for_case(case, saved_reply_id)
    if reply is None:
        raise ApplicationError(gettext(REPLY_NOT_HERE), field="saved_reply")
    return reply


def check_reachable(case: Case, channel: str) -> None:
    """Refuse a message the customer cannot get: no consent, or no address for the channel."""
    customer = case.customer
    if not customer.contact_consent:
        raise ApplicationError(gettext(NO_CONSENT))
    if channel not in CHANNELS:
        raise ApplicationError(gettext(UNKNOWN_CHANNEL), field="channel")
    if channel == FollowUp.Channel.EMAIL and not customer.email:
        raise ApplicationError(gettext(NO_EMAIL), field="channel")
    if channel == FollowUp.Channel.SMS and not customer.phone:
        raise ApplicationError(gettext(NO_PHONE), field="channel")


@transaction.atomic
def message_send(
    *,
    case: Case,
    actor: User,
    channel: str,
    subject: str,
    body: str,
    submission_token: uuid.UUID,
    saved_reply_id: int | None = None,
    now: datetime | None = None,
) -> FollowUp:
    """Write to the customer: the words, their placeholders filled in for this case, become a
    follow-up due now, sent by the follow-ups' sender (once, retried, failed after its
    attempts), and the timeline says `message.created` (naming the saved reply it started
    from, which must be offered on the case: `message_check`). The same form's token twice
    sends one message (the second gets the first's follow-up)."""
    now = now or timezone.now()
    # One message at a time a case: the token is checked and used under the case's lock, so
    # a double submit racing itself finds the first one's follow-up.
    case = Case.objects.select_for_update().select_related("customer", "location").get(pk=case.pk)
    existing = FollowUp.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing
    saved_reply = message_check(case=case, actor=actor, channel=channel, saved_reply_id=saved_reply_id)
    composed = staff_message_compose(
        case=case, subject=_checked(subject, "subject", SUBJECT_NEEDED), body=_checked(body, "body", BODY_NEEDED)
    )
    text = composed.text.strip()
    if len(text) > 4000 or len(composed.subject) > 200:
        raise ApplicationError(gettext(TOO_LONG).format(length=max(len(text), len(composed.subject))), field="body")
    followup = followup_schedule(
        case=case,
        kind=FollowUp.Kind.CUSTOMER_MESSAGE,
        channel=channel,
        due_at=now,
        subject=composed.subject,
        purpose=Purpose.STAFF_MESSAGE,
        body=text,
        actor=actor,
        submission_token=submission_token,
        now=now,
        on_timeline=False,
    )
    events.record(
        kind=Kind.MESSAGE_CREATED,
        case=case,
        actor=actor,
        now=now,
        note=f"“{composed.subject}”, by {followup.get_channel_display().lower()}.",
        payload=events.MessageCreated(
            followup_id=followup.pk,
            channel=channel,
            subject=composed.subject,
            saved_reply_id=saved_reply.pk if saved_reply is not None else None,
        ),
    )
    # Ring the doorbell now rather than at the next minute's sweep; if the broker is down the
    # sweep sends it all the same (robust: a failed enqueue does not fail the request).
    transaction.on_commit(lambda: followup_send_task.delay(followup.pk), robust=True)
    return followup
