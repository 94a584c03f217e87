"""Sending follow-ups: claim (a lease, SKIP LOCKED), send, record a failure; each idempotent.

The broker is only a doorbell: the dispatcher claims due rows in the database
and enqueues their ids; the send re-reads the row under a lock and does nothing
if someone already sent it. A worker that dies mid-send leaves the row leased;
when the lease runs out it is claimed again, and `attempts` caps the retries.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format

from cases.models import CaseEvent
from core.exceptions import ApplicationError
from core.services import notify

from ..channels import OutgoingMessage, send_email, send_sms
from ..models import FollowUp, MessageTemplate
from ..plans import CUSTOMER_PURPOSES, Purpose
from ..states import FollowUpState

NO_ADDRESS = "The customer has no {channel} to send this to."
NO_CONSENT = "The customer has not agreed to be contacted."
STAFF_NO_EMAIL = "{name} has no email address."


def lease() -> timedelta:
    """How long a claimed row is left to its worker before another may take it."""
    return timedelta(seconds=settings.AMENDS_FOLLOWUP_LEASE_SECONDS)


def followup_claim_due(
    *, now: datetime | None = None, batch: int = 100, lease_for: timedelta | None = None
) -> list[int]:
    """Claim up to `batch` due follow-ups for this worker and return their ids.

    Rows locked by another dispatcher are skipped, not waited for, so two beats
    (or workers) never take the same row. The lease makes a dead worker's rows
    claimable again later; each claim counts an attempt.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            FollowUp.objects.select_for_update(skip_locked=True)
            .filter(state=FollowUpState.SCHEDULED.value, due_at__lte=now)
            .exclude(claimed_until__gt=now)
            .filter(attempts__lt=F("max_attempts"))
            .order_by("due_at", "id")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            FollowUp.objects.filter(pk__in=ids).update(
                claimed_until=now + (lease_for or lease()), attempts=F("attempts") + 1
            )
    return ids


def followups_release(*, ids: list[int]) -> int:
    """Give back claimed rows that never reached the queue (the broker was down), so the
    next sweep takes them at once instead of after the lease. The claim's attempt is given
    back too: a broker outage longer than max_attempts sweeps must not use up a row's
    attempts and leave it scheduled for ever, claimed by nobody."""
    return FollowUp.objects.filter(pk__in=ids, state=FollowUpState.SCHEDULED.value, attempts__gt=0).update(
        claimed_until=None, attempts=F("attempts") - 1
    )


@transaction.atomic
def followup_send(*, followup_id: int, now: datetime | None = None) -> bool:
    """Send one follow-up if it is still to be sent. Returns True if this call sent it.

    Safe to call twice for the same id (a redelivered message): the second finds
    it sent, or locked by the first, and does nothing. The row is marked sent in
    the same transaction as the send, so a send that fails leaves it to be retried.
    """
    now = now or timezone.now()
    followup = (
        FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("case", "case__customer", "case__location", "recipient")
        .filter(pk=followup_id, state=FollowUpState.SCHEDULED.value, sent_at__isnull=True)
        .first()
    )
    if followup is None:
        return False
    _deliver(followup)
    followup.state = FollowUpState.SENT.value
    followup.sent_at = now
    followup.claimed_until = None
    followup.last_error = ""
    followup.save(update_fields=["state", "sent_at", "claimed_until", "last_error"])
    if followup.purpose in CUSTOMER_PURPOSES:
        CaseEvent.objects.create(
            case=followup.case,
            kind=CaseEvent.Kind.FOLLOWUP,
            created_at=now,
            note=f"{followup.get_purpose_display()}: sent by {followup.get_channel_display().lower()}.",
        )
    return True


def managers_of(case) -> list:
    """Who an escalation goes to: the managers of the case's location, else the owners."""
    from accounts.models import User
    from accounts.roles import Role

    staff = User.objects.filter(is_active=True)
    managers = list(staff.filter(groups__name=Role.MANAGER, locations=case.location_id))
    return managers or list(staff.filter(groups__name=Role.OWNER))


def _deliver(followup: FollowUp) -> None:
    case = followup.case
    if followup.purpose in CUSTOMER_PURPOSES:
        _deliver_to_customer(followup)
        return
    people = [followup.recipient] if followup.recipient else managers_of(case)
    text, url = f"{case.reference}: {followup.subject}", case.get_absolute_url()
    if followup.channel == FollowUp.Channel.IN_APP:
        for person in people:
            notify(user=person, text=text, url=url)
        return
    for person in people:
        if not person.email:
            raise ApplicationError(STAFF_NO_EMAIL.format(name=person))
        message = OutgoingMessage(
            to=person.email,
            subject=text,
            text=(followup.body or followup.subject) + f"\n\n{settings.AMENDS_PUBLIC_URL}{url}\n",
            message_id=_message_id(followup),
        )
        send_sms(message) if followup.channel == FollowUp.Channel.SMS else send_email(message)


def customer_values(followup: FollowUp) -> dict[str, str]:
    """What the placeholders of a message to the customer stand for."""
    from portal.links import customer_link

    case = followup.case
    return {
        "first_name": case.customer.first_name,
        "reference": case.reference,
        "incident_date": date_format(timezone.localtime(case.occurred_at), "j F Y"),
        "business": case.location.name,
        "details": followup.body,
        "link": customer_link(case.pk),
    }


def compose_for(followup: FollowUp):
    """The message a customer follow-up says, in the owner's wording (or the built-in one).
    Works on an unsaved FollowUp too: pages use it to preview a message before it goes."""
    from ..messages import Wording, compose, wording_for

    purpose = Purpose(followup.purpose)
    owned = MessageTemplate.objects.filter(purpose=purpose.value).first()
    overrides = {owned.purpose: Wording(owned.subject, owned.body)} if owned else None
    return compose(wording_for(purpose, overrides), customer_values(followup))


def _deliver_to_customer(followup: FollowUp) -> None:
    customer = followup.case.customer
    if not customer.contact_consent:
        raise ApplicationError(NO_CONSENT)
    address = customer.phone if followup.channel == FollowUp.Channel.SMS else customer.email
    if not address:
        raise ApplicationError(NO_ADDRESS.format(channel=followup.get_channel_display().lower()))
    composed = compose_for(followup)
    message = OutgoingMessage(address, composed.subject, composed.text, composed.html, _message_id(followup))
    if followup.channel == FollowUp.Channel.SMS:
        send_sms(message)
    elif followup.channel == FollowUp.Channel.EMAIL:
        send_email(message)
    else:
        raise ApplicationError("A message to the customer goes by email or text message.")


def _message_id(followup: FollowUp) -> str:
    return f"<followup-{followup.pk}@amends>"


def retry_delay(attempts: int) -> timedelta:
    """Back off after a failed send: 1, 2, 4, 8 … minutes, at most an hour."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@transaction.atomic
def followup_record_failure(
    *, followup_id: int, error: str, permanent: bool = False, now: datetime | None = None
) -> FollowUp:
    """After a failed send: hold the row back for a while (backing off, in the database,
    so no retry depends on the broker keeping a delayed message), or mark it failed once
    out of attempts, at once for a failure no retry can mend. A failure is shown to the
    location's managers: nothing is dropped silently."""
    now = now or timezone.now()
    followup = FollowUp.objects.select_for_update(of=("self",)).select_related("case").get(pk=followup_id)
    if followup.state != FollowUpState.SCHEDULED.value:
        return followup
    followup.last_error = error[:500]
    # The lease doubles as "not before": the next sweep after the delay takes it again.
    followup.claimed_until = now + retry_delay(followup.attempts)
    if permanent or followup.attempts >= followup.max_attempts:
        followup.state = FollowUpState.FAILED.value
        followup.claimed_until = None
        case = followup.case
        for person in managers_of(case):
            notify(
                user=person,
                text=f"{case.reference}: could not send “{followup.subject}”: {followup.last_error}",
                url=case.get_absolute_url() + "#followups",
            )
    followup.save(update_fields=["last_error", "claimed_until", "state"])
    return followup


def followups_dispatch(*, enqueue, batch: int = 500, budget_seconds: float = 45.0, now=None) -> int:
    """Claim every due follow-up in batches and hand each id to `enqueue`; stop when none
    is due or the time is spent (the next beat carries on). Ids that could not be
    enqueued are released for the next sweep."""
    import time

    started, total = time.monotonic(), 0
    while True:
        ids = followup_claim_due(batch=batch, now=now)
        for position, followup_id in enumerate(ids):
            try:
                enqueue(followup_id)
            except Exception:
                followups_release(ids=ids[position:])
                raise
        total += len(ids)
        if len(ids) < batch or time.monotonic() - started > budget_seconds:
            return total
