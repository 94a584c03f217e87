"""Follow-ups: schedule, claim (a lease, SKIP LOCKED) and send, each idempotent.

The broker is only a doorbell: the dispatcher claims due rows in the database
and enqueues their ids; the send re-reads the row under a lock and does nothing
if someone already sent it. A worker that dies mid-send leaves the row leased;
when the lease runs out it is claimed again, and `attempts` caps the retries.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from core.exceptions import ApplicationError
from core.services import notify

from .models import FollowUp
from .states import FollowUpState, can_move

LEASE = timedelta(minutes=5)
NOT_SCHEDULED = "This follow-up is {state}: it can no longer be changed."
DUE_IN_PAST = "Choose a time from now on."


@transaction.atomic
def followup_schedule(
    *,
    case,
    kind: str,
    channel: str,
    subject: str,
    due_at: datetime,
    body: str = "",
    recipient=None,
    actor=None,
    now: datetime | None = None,
) -> FollowUp:
    """Put a follow-up on a case's calendar."""
    now = now or timezone.now()
    if due_at < now - timedelta(minutes=1):
        raise ApplicationError(DUE_IN_PAST, field="due_at")
    followup = FollowUp(
        case=case,
        kind=kind,
        channel=channel,
        subject=subject,
        body=body,
        due_at=due_at,
        recipient=recipient,
        created_by=actor,
        created_at=now,
    )
    followup.full_clean(exclude=["case", "recipient", "created_by"])
    followup.save()
    return followup


def followup_claim_due(*, now: datetime | None = None, batch: int = 100, lease: timedelta = LEASE) -> list[int]:
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
            FollowUp.objects.filter(pk__in=ids).update(claimed_until=now + lease, attempts=F("attempts") + 1)
    return ids


@transaction.atomic
def followup_send(*, followup_id: int, now: datetime | None = None) -> bool:
    """Send one follow-up if it is still to be sent. Returns True if this call sent it.

    Safe to call twice for the same id (a redelivered message): the second finds
    it sent, or locked by the first, and does nothing.
    """
    now = now or timezone.now()
    followup = (
        FollowUp.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("case", "case__customer", "recipient")
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
    return True


def _managers_of(case) -> list:
    """Who an escalation goes to: the managers of the case's location, else the owners."""
    from accounts.models import User
    from accounts.roles import Role

    staff = User.objects.filter(is_active=True)
    managers = list(staff.filter(groups__name=Role.MANAGER, locations=case.location_id))
    return managers or list(staff.filter(groups__name=Role.OWNER))


def _deliver(followup: FollowUp) -> None:
    case = followup.case
    if followup.channel == FollowUp.Channel.IN_APP:
        text, url = f"{case.reference}: {followup.subject}", case.get_absolute_url()
        for person in [followup.recipient] if followup.recipient else _managers_of(case):
            notify(user=person, text=text, url=url)
        return
    if followup.channel == FollowUp.Channel.EMAIL:
        address = followup.recipient.email if followup.recipient else case.customer.email
        if not address:
            raise ApplicationError("There is no email address to send this to.")
        send_mail(
            subject=followup.subject,
            message=followup.body or followup.subject,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[address],
        )
        return
    raise ApplicationError("No text-message provider is set up yet.")


@transaction.atomic
def followup_record_failure(*, followup_id: int, error: str, now: datetime | None = None) -> FollowUp:
    """After a failed send: free the row for another try, or mark it failed once out of attempts."""
    followup = FollowUp.objects.select_for_update().get(pk=followup_id)
    if followup.state != FollowUpState.SCHEDULED.value:
        return followup
    followup.last_error = error[:500]
    followup.claimed_until = None
    if followup.attempts >= followup.max_attempts:
        followup.state = FollowUpState.FAILED.value
    followup.save(update_fields=["last_error", "claimed_until", "state"])
    return followup


@transaction.atomic
def followup_cancel(*, followup: FollowUp, actor=None) -> FollowUp:
    """Take a follow-up off the calendar (it no longer applies)."""
    followup = FollowUp.objects.select_for_update().get(pk=followup.pk)
    current = FollowUpState(followup.state)
    if not can_move(current, FollowUpState.CANCELLED):
        raise ApplicationError(NOT_SCHEDULED.format(state=current.label.lower()))
    followup.state = FollowUpState.CANCELLED.value
    followup.claimed_until = None
    followup.save(update_fields=["state", "claimed_until"])
    return followup


def followups_plan_opened_case(*, case, now: datetime) -> list[FollowUp]:
    """Schedule what a newly logged case calls for (called inside case_open's transaction)."""
    from .plans import plan_for_opened_case

    made = []
    for planned in plan_for_opened_case(
        promised_callback_at=case.promised_callback_at,
        first_contact_at=case.first_contact_at,
        sla_due_at=case.sla_due_at,
    ):
        made.append(
            FollowUp.objects.create(
                case=case,
                kind=planned.kind,
                channel=FollowUp.Channel.IN_APP,
                recipient=None if planned.to_managers else case.assignee,
                subject=planned.purpose,
                due_at=max(planned.due_at, now),
                created_at=now,
            )
        )
    return made


def followups_cancel_matching(*, case, subjects: list[str] | None = None) -> int:
    """Cancel the scheduled follow-ups of a case that no longer apply (all, or those with these purposes)."""
    pending = FollowUp.objects.filter(case=case, state=FollowUpState.SCHEDULED.value)
    if subjects is not None:
        pending = pending.filter(subject__in=subjects)
    return pending.update(state=FollowUpState.CANCELLED.value, claimed_until=None)
