"""Reading follow-ups: the policy's clock, a case's calendar, what waits for staff."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Min, Q, QuerySet
from django.db.models.functions import Coalesce, Greatest
from django.forms import Form
from django.utils import timezone

from accounts.models import User
from accounts.roles import location_ids_of
from accounts.selectors import working_calendar
from accounts.working_time import WorkingCalendar
from cases.models import Case
from recovery.models import PolicyVersion
from recovery.selectors import bounded

from .models import FollowUp
from .plans import MANUAL_RECIPIENTS, Timings
from .states import FollowUpState


def timings_in_force() -> Timings:
    """The follow-up clock of the recovery policy in force."""
    row = bounded(
        PolicyVersion.objects.only(
            "callback_reminder_minutes",
            "callback_escalation_minutes",
            "satisfaction_check_days",
            "deadlines_in_working_time",
        ).latest()
    )
    return Timings(
        callback_reminder_before=timedelta(minutes=row.callback_reminder_minutes),
        callback_escalation_after=timedelta(minutes=row.callback_escalation_minutes),
        satisfaction_check_after=timedelta(days=row.satisfaction_check_days),
        in_working_time=row.deadlines_in_working_time,
    )


def staff_calendar(case: Case, timings: Timings) -> WorkingCalendar | None:
    """The working time reminders and escalations on this case are counted in (None: the wall clock)."""
    return working_calendar(case.location_id, timings.in_working_time)


def followups_visible_to(user: User) -> QuerySet[FollowUp]:
    location_ids = location_ids_of(user)
    followups = FollowUp.objects.all()
    return followups if location_ids is None else followups.filter(case__location_id__in=location_ids)


def case_followups(case: Case) -> list[FollowUp]:
    """A case's follow-ups for its page: what is planned first, then what happened, newest first."""
    rows = list(case.followups.select_related("recipient", "done_by").order_by("due_at", "id"))
    waiting = [f for f in rows if f.state in (FollowUpState.SCHEDULED.value, FollowUpState.FAILED.value)]
    past = [f for f in rows if f not in waiting]
    return waiting + past[::-1]


@dataclass(frozen=True)
class FollowUpsPanel:
    """What the case page's follow-up panel shows: the case's follow-ups (`case_followups`), the
    panel's forms sent back with errors (by action name), whom a reminder can go to, and the
    time the page was read (what is overdue)."""

    rows: list[FollowUp]
    forms: Mapping[str, Form]
    recipients: tuple[tuple[str, str], ...]
    now: datetime


def followups_panel(case: Case, bound_forms: Mapping[str, Form]) -> FollowUpsPanel:
    """What the case page's follow-up panel needs, with any form sent back with errors."""
    return FollowUpsPanel(
        rows=case_followups(case), forms=bound_forms, recipients=MANUAL_RECIPIENTS, now=timezone.now()
    )


# How far behind the sending is, for the health check and the metrics (not scoped to anyone: the
# whole house's sending). Each rides on a partial index of FollowUp.


def due_unsent(now: datetime) -> QuerySet[FollowUp]:
    """Follow-ups due and not yet sent (still scheduled), whoever holds them."""
    return FollowUp.objects.filter(state=FollowUpState.SCHEDULED.value, due_at__lte=now)


def claimable(now: datetime) -> QuerySet[FollowUp]:
    """What the dispatcher may claim now (followups.states.claimable): due, unsent, and not
    leased to a worker nor held back after a failure (the lease doubles as "not before")."""
    return due_unsent(now).exclude(claimed_until__gt=now)


def oldest_due_unsent_at(now: datetime) -> datetime | None:
    return due_unsent(now).aggregate(oldest=Min("due_at"))["oldest"]


def claimable_since(now: datetime) -> datetime | None:
    """Since when the longest-waiting claimable follow-up could have been taken: its due time,
    or the end of its last lease."""
    return claimable(now).aggregate(since=Min(Greatest("due_at", Coalesce("claimed_until", "due_at"))))["since"]


def failed_total() -> int:
    """Follow-ups that could not be sent, at every location."""
    return FollowUp.objects.filter(state=FollowUpState.FAILED.value).count()


def failed_followups(user: User) -> QuerySet[FollowUp]:
    """Messages and reminders that could not be sent, at the user's locations: managers act on them."""
    return (
        followups_visible_to(user)
        .filter(state=FollowUpState.FAILED.value)
        .select_related("case", "case__customer", "case__location")
        .order_by("-due_at", "-id")
    )


def failed_followups_count(user: User, *, cap: int | None = None) -> int:
    """How many could not be sent; with `cap`, counting stops there."""
    failed = failed_followups(user).order_by()
    return (failed[:cap] if cap else failed).count()


def followups_for(user: User) -> QuerySet[FollowUp]:
    """What is planned for this person: their reminders still to come, or sent and not yet
    done; for managers, also the escalations to their locations' managers."""
    mine = Q(recipient=user)
    if user.has_perm("followups.resolve_followup"):
        escalations = Q(recipient__isnull=True, kind=FollowUp.Kind.ESCALATION)
        location_ids = location_ids_of(user)
        if location_ids is not None:
            escalations &= Q(case__location_id__in=location_ids)
        mine |= escalations
    return (
        FollowUp.objects.filter(mine, state__in=[FollowUpState.SCHEDULED.value, FollowUpState.SENT.value])
        .exclude(case__state="closed")
        .select_related("case", "case__customer")
        .order_by("due_at", "id")
    )


def for_staff(ids: list[int]) -> set[int]:
    """Which of these follow-ups go to staff (reminders and escalations), not to the customer:
    the dispatcher hands those to the urgent queue, ahead of any burst of customer messages."""
    return set(
        FollowUp.objects.filter(
            pk__in=ids, kind__in=[FollowUp.Kind.STAFF_REMINDER, FollowUp.Kind.ESCALATION]
        ).values_list("pk", flat=True)
    )
