"""Putting follow-ups on a case's calendar, moving them, cancelling them, marking them done.

The automatic plans (followups/plans.py) are applied here when a case is logged,
a callback promised, a remedy approved or delivered, a case closed or reopened:
followups/reactions.py calls them on those events, in the transaction of the change.
Staff add, move, cancel and tick off follow-ups by hand; each change is on the
case's timeline.
"""

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from cases import events
from cases.events import Kind
from cases.models import Case
from core.exceptions import ApplicationError
from core.money import format_money, format_percent
from customers.models import Customer
from recovery.selectors import next_delivery_due

from ..messages import APOLOGY_ONLY, remedy_line
from ..models import FollowUp
from ..plans import (
    CUSTOMER_PURPOSES,
    DEFAULT_TIMINGS,
    MOOT_WHEN_CLOSED,
    Planned,
    Purpose,
    Timings,
    plan_for_approved_remedy,
    plan_for_callback,
    plan_for_closed_case,
    plan_for_delivered_remedy,
    plan_for_opened_case,
)
from ..rights import IN_STATE, Action, Who, who_may
from ..selectors import staff_calendar, timings_in_force
from ..states import FollowUpState

# Refusals staff read: marked here, translated where they are raised (plain strings, so a
# caller or a test may compare them). Two are also why a message to the customer was not
# scheduled, on the timeline (data, kept in English).
NOT_SCHEDULED = gettext_noop("This follow-up is {state}: it can no longer be changed.")
DUE_IN_PAST = gettext_noop("Choose a time from now on.")
CASE_CLOSED = gettext_noop("The case is closed: reopen it to plan a follow-up.")
NO_CONSENT = gettext_noop("The customer has not agreed to be contacted.")
NO_CHANNEL = gettext_noop("The customer has no email address or mobile number to write to.")
NOT_DONE_ABLE = gettext_noop("Only a reminder or an escalation to staff can be marked done.")
ESCALATION_FOR_MANAGERS = gettext_noop("An escalation is for a manager to settle.")
MESSAGE_FOR_MANAGERS = gettext_noop("A message to the customer is for a manager to move or cancel.")
FAILED_FOR_MANAGERS = gettext_noop("A follow-up that could not be sent is for a manager to try again or cancel.")
FOR_MANAGERS = {"escalation": ESCALATION_FOR_MANAGERS, "customer_message": MESSAGE_FOR_MANAGERS}
FOR_MANAGERS["satisfaction_check"] = MESSAGE_FOR_MANAGERS
SUBJECT_NEEDED = gettext_noop("Say what the follow-up is for.")

SCHEDULED = FollowUpState.SCHEDULED.value


def _event(
    kind: str, followup: FollowUp, actor: User | None, now: datetime, note: str, before: datetime | None = None
) -> None:
    payload = events.FollowupChanged(
        followup_id=followup.pk, purpose=followup.purpose, due_at=followup.due_at, before=before
    )
    events.record(kind=kind, case=followup.case, actor=actor, now=now, note=note, payload=payload)


def customer_channel(customer: Customer) -> str | None:
    """How a written message reaches this customer: their preference where it can carry
    one, else email, else a text message; None if they gave neither address."""
    if customer.preferred_channel == "sms" and customer.phone:
        return FollowUp.Channel.SMS
    if customer.email:
        return FollowUp.Channel.EMAIL
    if customer.phone:
        return FollowUp.Channel.SMS
    return None


def _create(
    case: Case, planned: Planned, now: datetime, *, body: str = "", actor: User | None = None
) -> FollowUp | None:
    """Schedule one planned follow-up. A message the customer has not agreed to, or has
    no address for, is not scheduled: the timeline says why instead."""
    if planned.purpose in CUSTOMER_PURPOSES:
        channel = customer_channel(case.customer)
        reason = NO_CONSENT if not case.customer.contact_consent else (NO_CHANNEL if channel is None else "")
        if reason:
            events.record(
                kind=Kind.FOLLOWUP_SKIPPED,
                case=case,
                actor=actor,
                now=now,
                note=f"{planned.purpose.label}: not scheduled. {reason}",
                payload=events.FollowupSkipped(purpose=planned.purpose.value, reason=reason),
            )
            return None
        recipient = None
    else:
        channel = FollowUp.Channel.IN_APP
        recipient = None if planned.to_managers else case.assignee
    return FollowUp.objects.create(  # type: ignore[misc]  # channel: None returned above
        case=case,
        kind=planned.kind,
        purpose=planned.purpose.value,
        channel=channel,
        recipient=recipient,
        subject=planned.purpose.label,
        body=body,
        due_at=max(planned.due_at, now),
        created_at=now,
        created_by=actor,
    )


def followups_cancel_purposes(*, case: Case | int, purposes: Iterable[Purpose] | None = None) -> int:
    """Cancel the scheduled follow-ups of a case that no longer apply (all, or those for these purposes)."""
    pending = FollowUp.objects.filter(case=case, state=SCHEDULED)
    if purposes is not None:
        pending = pending.filter(purpose__in=[purpose.value for purpose in purposes])
    return pending.update(state=FollowUpState.CANCELLED.value, claimed_until=None)


def followups_plan_opened_case(*, case: Case, now: datetime, timings: Timings | None = None) -> list[FollowUp]:
    """What a newly logged case calls for (inside case_open's transaction). The policy's clock
    is read only for a promised callback: the first-contact escalation is at the case's own
    deadline, which case_open counted (reading the policy's switch), so a case logged without a
    callback reads the policy once."""
    calendar = None
    if case.promised_callback_at is not None:
        timings = timings or timings_in_force()
        calendar = staff_calendar(case, timings)
    planned = plan_for_opened_case(
        promised_callback_at=case.promised_callback_at,
        first_contact_at=case.first_contact_at,
        sla_due_at=case.sla_due_at,
        timings=timings or DEFAULT_TIMINGS,  # unread without a callback
        calendar=calendar,
        now=now,
    )
    return [made for p in planned if (made := _create(case, p, now)) is not None]


def followups_plan_callback(
    *, case: Case, promised_at: datetime, now: datetime, actor: User | None = None
) -> list[FollowUp | None]:
    """A callback promised (again): the reminder and escalation of any earlier promise give way."""
    followups_cancel_purposes(case=case, purposes=[Purpose.CALLBACK_REMINDER, Purpose.CALLBACK_ESCALATION])
    timings = timings_in_force()
    planned = plan_for_callback(promised_at, timings, staff_calendar(case, timings), now=now)
    return [_create(case, p, now, actor=actor) for p in planned]


def followups_callback_made(*, case: Case, actor: User | None, now: datetime) -> int:
    """The promised callback was made: its reminder is done and its escalation cancelled."""
    done = FollowUp.objects.filter(
        case=case, purpose=Purpose.CALLBACK_REMINDER.value, state__in=[SCHEDULED, FollowUpState.SENT.value]
    ).update(state=FollowUpState.DONE.value, done_at=now, done_by=actor, claimed_until=None)
    followups_cancel_purposes(case=case, purposes=[Purpose.CALLBACK_REMINDER, Purpose.CALLBACK_ESCALATION])
    return done


def followups_plan_delivery_reminder(*, case: Case, now: datetime) -> FollowUp | None:
    """A remedy not delivered by its deadline reminds the assignee then: one reminder a case, at
    the earliest deadline of its approvals still to deliver (`Proposal.deliver_by`), planned again
    whenever one is approved or delivered, so a second approval never hides the first's
    deadline and delivering one never silences the other's."""
    followups_cancel_purposes(case=case, purposes=[Purpose.DELIVERY_REMINDER])
    due = next_delivery_due(case.pk)
    return _create(case, plan_for_approved_remedy(due), now) if due is not None else None


def remedy_details(lines: Iterable[Any], language: str | None = None) -> str:
    """The delivered remedies in plain words, one a line, for the customer's message, in
    `language` (the customer's; default: the active one)."""
    with translation.override(language or translation.get_language()):
        said = []
        for line in lines:
            if line.kind == "apology":
                continue
            amount = format_percent(line.percent) if line.percent else ""
            if not amount and line.face_value:
                amount = format_money(line.face_value)
            said.append(remedy_line(line.kind, str(line.get_kind_display()), amount))
        return "\n".join(said) or gettext(APOLOGY_ONLY)


def followups_plan_delivered_remedy(*, case: Case, proposal: Any, now: datetime) -> FollowUp | None:
    """Every remedy of `proposal` reached the customer: the reminder moves to the next approval
    still to deliver, if any, and the customer hears what was done."""
    followups_plan_delivery_reminder(case=case, now=now)
    body = remedy_details(proposal.lines.all(), case.customer.language)
    return _create(case, plan_for_delivered_remedy(now), now, body=body)


def followups_plan_closed_case(*, case: Case, now: datetime) -> FollowUp | None:
    """Closing makes reminders and escalations moot, and plans the satisfaction check
    (once: a case closed again after a check was sent is not asked twice)."""
    followups_cancel_purposes(case=case, purposes=MOOT_WHEN_CLOSED)
    asked = FollowUp.objects.filter(
        case=case, purpose=Purpose.SATISFACTION_CHECK.value, state__in=[SCHEDULED, FollowUpState.SENT.value]
    )
    if asked.exists():
        return None
    return _create(case, plan_for_closed_case(now, timings_in_force()), now)


def followups_plan_reopened_case(*, case: Case) -> int:
    """Reopened: asking whether things are right must wait for the next closing."""
    return followups_cancel_purposes(case=case, purposes=[Purpose.SATISFACTION_CHECK])


@transaction.atomic
def followup_schedule(
    *,
    case: Case,
    kind: str,
    channel: str,
    due_at: datetime,
    subject: str = "",
    purpose: Purpose = Purpose.MANUAL,
    body: str = "",
    recipient: User | None = None,
    actor: User | None = None,
    submission_token: uuid.UUID | None = None,
    now: datetime | None = None,
    on_timeline: bool = True,
) -> FollowUp:
    """Put a follow-up on a case's calendar by hand (or for another service, such as a
    corrective action telling the customer what changed). The same form's token twice
    plans it once. `on_timeline=False`: the caller writes the case's timeline line itself
    (a message staff wrote is `message.created`, not a follow-up planned)."""
    now = now or timezone.now()
    if submission_token is not None:
        existing = FollowUp.objects.filter(submission_token=submission_token).first()
        if existing is not None:
            return existing
    if due_at < now - timedelta(minutes=1):
        raise ApplicationError(gettext(DUE_IN_PAST), field="due_at")
    # Read the state afresh: the caller's copy of the case may be older than the row.
    if purpose not in CUSTOMER_PURPOSES and type(case).objects.filter(pk=case.pk, state="closed").exists():
        raise ApplicationError(gettext(CASE_CLOSED))
    if purpose in CUSTOMER_PURPOSES and not case.customer.contact_consent:
        raise ApplicationError(gettext(NO_CONSENT))
    subject = (subject or purpose.label).strip()
    if not subject:
        raise ApplicationError(gettext(SUBJECT_NEEDED), field="subject")
    followup = FollowUp(
        case=case,
        kind=kind,
        purpose=purpose.value,
        channel=channel,
        subject=subject,
        body=body.strip(),
        due_at=due_at,
        recipient=recipient,
        created_by=actor,
        created_at=now,
        submission_token=submission_token,
    )
    followup.full_clean(exclude=["case", "recipient", "created_by", "done_by"], validate_unique=False)
    try:
        with transaction.atomic():
            followup.save()
    except IntegrityError:
        # The same form submitted twice at the same moment: the other request planned it.
        existing = FollowUp.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise
        return existing
    if actor is not None and on_timeline:
        _event(Kind.FOLLOWUP_PLANNED, followup, actor, now, f"Planned: {subject}, {_when(due_at)}.")
    return followup


def _locked(followup: FollowUp) -> FollowUp:
    return FollowUp.objects.select_for_update(of=("self",)).select_related("case").get(pk=followup.pk)


def _authorise(followup: FollowUp, current: FollowUpState, action: Action, actor: User | None) -> None:
    """Refuse what followups/rights.py does not allow this person (the pages show the same).
    No actor is a service's own change (a plan made moot), which needs no one's say."""
    if action not in IN_STATE[current]:
        raise ApplicationError(gettext(NOT_SCHEDULED).format(state=gettext(current.label).lower()))
    if actor is None:
        return
    who = who_may(kind=followup.kind, state=current, action=action)
    if who is None:
        raise ApplicationError(gettext(NOT_DONE_ABLE))
    if who is Who.MANAGERS and not actor.has_perm("followups.resolve_followup"):
        if current is FollowUpState.FAILED:
            raise ApplicationError(gettext(FAILED_FOR_MANAGERS))
        raise ApplicationError(gettext(FOR_MANAGERS[followup.kind]))


def _when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%a %-d %b, %H:%M")


@transaction.atomic
def followup_move(*, followup: FollowUp, actor: User, due_at: datetime, now: datetime | None = None) -> FollowUp:
    """Move a follow-up to another time. A failed one moved is tried again from scratch."""
    now = now or timezone.now()
    followup = _locked(followup)
    current = FollowUpState(followup.state)
    _authorise(followup, current, Action.RETRY if current is FollowUpState.FAILED else Action.MOVE, actor)
    if due_at < now - timedelta(minutes=1):
        raise ApplicationError(gettext(DUE_IN_PAST), field="due_at")
    _reschedule(followup, actor, due_at, now)
    return followup


def _reschedule(followup: FollowUp, actor: User, due_at: datetime, now: datetime) -> None:
    """The locked, authorised row due again at `due_at`, on its case's timeline; a failed
    one from scratch (no tries, no error, a new retry window)."""
    failed = followup.state == FollowUpState.FAILED.value
    before = followup.due_at
    followup.due_at = due_at
    followup.state = SCHEDULED
    followup.claimed_until = None
    if failed:
        followup.attempts, followup.last_error, followup.failing_since = 0, "", None
    followup.save(update_fields=["due_at", "state", "claimed_until", "attempts", "last_error", "failing_since"])
    note = f"{'Tried again' if failed else 'Moved'}: {followup.subject}, now {_when(due_at)}."
    _event(Kind.FOLLOWUP_MOVED, followup, actor, now, note, before=before)


@transaction.atomic
def followups_retry(*, followup_ids: Iterable[int], actor: User, now: datetime | None = None) -> list[FollowUp]:
    """Try again, from scratch and at once, the follow-ups among `followup_ids` that could
    not be sent (a manager's bulk action; the caller passes only ids the actor may see).
    Each one tried again is on its case's timeline, with the actor. Ids no longer failed
    (retried or cancelled meanwhile: the same form sent twice) are passed over, so the
    same submit twice retries once. All or nothing: a row the actor may not retry refuses
    the whole call. Returns the follow-ups tried again."""
    now = now or timezone.now()
    rows = list(
        FollowUp.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk__in=list(followup_ids), state=FollowUpState.FAILED.value)
        .order_by("pk")
    )
    for followup in rows:
        _authorise(followup, FollowUpState.FAILED, Action.RETRY, actor)
        _reschedule(followup, actor, now, now)
    return rows


@transaction.atomic
def followup_cancel(*, followup: FollowUp, actor: User | None = None, now: datetime | None = None) -> FollowUp:
    """Take a follow-up off the calendar (it no longer applies)."""
    now = now or timezone.now()
    followup = _locked(followup)
    current = FollowUpState(followup.state)
    _authorise(followup, current, Action.CANCEL, actor)
    followup.state = FollowUpState.CANCELLED.value
    followup.claimed_until = None
    followup.save(update_fields=["state", "claimed_until"])
    if actor is not None:
        _event(Kind.FOLLOWUP_CANCELLED, followup, actor, now, f"Cancelled: {followup.subject}.")
    return followup


@transaction.atomic
def followup_mark_done(*, followup: FollowUp, actor: User, now: datetime | None = None) -> FollowUp:
    """Staff say a reminder or escalation has been dealt with."""
    now = now or timezone.now()
    followup = _locked(followup)
    if followup.purpose in CUSTOMER_PURPOSES:
        raise ApplicationError(gettext(NOT_DONE_ABLE))
    current = FollowUpState(followup.state)
    _authorise(followup, current, Action.DONE, actor)
    followup.state = FollowUpState.DONE.value
    followup.done_at, followup.done_by = now, actor
    followup.claimed_until = None
    followup.save(update_fields=["state", "done_at", "done_by", "claimed_until"])
    _event(Kind.FOLLOWUP_DONE, followup, actor, now, f"Done: {followup.subject}.")
    return followup
