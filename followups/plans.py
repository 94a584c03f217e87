"""Which follow-ups a case's facts call for, and when (no Django import).

Promises staff make must be kept: a promised callback gets a reminder to the
assignee shortly before, and an escalation to the location's managers if it is
not marked done soon after. A case nobody has contacted by its deadline
escalates. An approved remedy not delivered in time reminds the assignee; a
delivered one tells the customer what was done; some days after closing, the
customer is asked whether things are right. The times come from the recovery
policy in force (`Timings`); where it counts deadlines in working time, the planners
are given the location's calendar and the reminders and escalations to staff run only
while the location is open (the satisfaction check, days later, stays on the calendar).
An approved remedy's deadline is the proposal's own (`Proposal.deliver_by`, which
recovery works out as it approves it, by the same policy and calendar).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from accounts.working_time import WorkingCalendar, add_working_time, opening_between, subtract_working_time
from core.translatable import gettext_noop


class Purpose(StrEnum):
    """What a follow-up is for. Later changes (first contact made, remedy delivered,
    case closed) find the follow-ups they make moot by purpose and cancel them."""

    CALLBACK_REMINDER = "callback_reminder"
    CALLBACK_ESCALATION = "callback_escalation"
    FIRST_CONTACT_ESCALATION = "first_contact_escalation"
    DELIVERY_REMINDER = "delivery_reminder"
    REMEDY_MESSAGE = "remedy_message"
    CORRECTIVE_MESSAGE = "corrective_message"
    SATISFACTION_CHECK = "satisfaction_check"
    # Words staff wrote to the customer from the case (conversations/): the follow-up's own
    # subject and body are the message, with the same placeholders as the templates.
    STAFF_MESSAGE = "staff_message"
    MANUAL = "manual"

    @property
    def label(self) -> str:
        """In English, marked for translation: the caller translates it where it is shown (a
        follow-up planned automatically keeps it as its subject, in English, as data)."""
        return LABELS[self]


LABELS = {
    Purpose.CALLBACK_REMINDER: gettext_noop("Call the customer back as promised"),
    Purpose.CALLBACK_ESCALATION: gettext_noop("A promised callback was not made"),
    Purpose.FIRST_CONTACT_ESCALATION: gettext_noop("Nobody has contacted the customer yet"),
    Purpose.DELIVERY_REMINDER: gettext_noop("Deliver the approved remedy"),
    Purpose.REMEDY_MESSAGE: gettext_noop("Tell the customer what we did"),
    Purpose.CORRECTIVE_MESSAGE: gettext_noop("Tell the customer what we changed"),
    Purpose.SATISFACTION_CHECK: gettext_noop("Ask the customer whether things are right"),
    Purpose.STAFF_MESSAGE: gettext_noop("A message from staff"),
    Purpose.MANUAL: gettext_noop("Follow-up"),
}

# Whom a reminder planned by hand on the case page goes to: the form's choices, and the panel's
# select (which is rendered before any form is bound); translated where they are shown.
MANUAL_RECIPIENTS: tuple[tuple[str, str], ...] = (
    ("assignee", gettext_noop("The case's assignee")),
    ("me", gettext_noop("Me")),
    ("managers", gettext_noop("The location's managers")),
)

# Messages to the customer: sent only to a customer who agreed to be contacted, and
# worded from the owner's message templates.
CUSTOMER_PURPOSES = frozenset(
    {Purpose.REMEDY_MESSAGE, Purpose.CORRECTIVE_MESSAGE, Purpose.SATISFACTION_CHECK, Purpose.STAFF_MESSAGE}
)
# What needs the customer to be reachable: messages to them, and the calls staff are to make.
NEEDS_CONTACT = CUSTOMER_PURPOSES | {
    Purpose.CALLBACK_REMINDER,
    Purpose.CALLBACK_ESCALATION,
    Purpose.FIRST_CONTACT_ESCALATION,
}
# What closing a case makes moot: reminders and escalations to staff. Messages to the
# customer still go (they are about what was done), and closing schedules the check.
MOOT_WHEN_CLOSED = frozenset(
    {
        Purpose.CALLBACK_REMINDER,
        Purpose.CALLBACK_ESCALATION,
        Purpose.FIRST_CONTACT_ESCALATION,
        Purpose.DELIVERY_REMINDER,
        Purpose.MANUAL,
    }
)


@dataclass(frozen=True)
class Timings:
    """The recovery policy's clock for follow-ups."""

    callback_reminder_before: timedelta = timedelta(minutes=15)
    callback_escalation_after: timedelta = timedelta(minutes=30)
    satisfaction_check_after: timedelta = timedelta(days=7)
    # Count the reminders and escalations to staff in the location's working time.
    in_working_time: bool = False


DEFAULT_TIMINGS = Timings()


@dataclass(frozen=True)
class Planned:
    purpose: Purpose
    kind: str  # FollowUp.Kind value
    to_managers: bool  # else to the case's assignee (or the customer, for customer purposes)
    due_at: datetime


def callback_reminder_at(
    promised_at: datetime, lead: timedelta, calendar: WorkingCalendar | None, *, now: datetime
) -> datetime:
    """When to remind the assignee of a callback promised for `promised_at`: `lead` before it,
    counted in working time with a calendar (15 minutes before a Monday 09:05 callback is Friday
    16:50 where the location shuts at 17:00), but never before `now`, the moment the plan is
    made: a reminder in the past would go at once, at a weekend when nobody is in. Where the
    working-time moment is already past (it is Saturday), the reminder is at the location's next
    opening before the callback or at the callback less `lead` on the wall clock, whichever is
    later (Monday 09:00 for a 09:05 or a 09:15 callback), and now if both are past. A reminder
    of a callback still to come is never after it."""
    in_working_time = subtract_working_time(calendar, promised_at, lead)
    if in_working_time >= now:
        return in_working_time
    moments = [now, subtract_working_time(None, promised_at, lead)]
    opening = opening_between(calendar, now, promised_at)
    if opening is not None and opening < promised_at:
        moments.append(opening)
    return max(moments)


def plan_for_callback(
    promised_at: datetime, timings: Timings = DEFAULT_TIMINGS, calendar: WorkingCalendar | None = None, *, now: datetime
) -> list[Planned]:
    """A promised callback: remind the assignee before (`callback_reminder_at`, never in the
    past), escalate to managers if not done after (in working time with a calendar)."""
    remind_at = callback_reminder_at(promised_at, timings.callback_reminder_before, calendar, now=now)
    escalate_at = add_working_time(calendar, promised_at, timings.callback_escalation_after)
    return [
        Planned(Purpose.CALLBACK_REMINDER, "staff_reminder", False, remind_at),
        Planned(Purpose.CALLBACK_ESCALATION, "escalation", True, escalate_at),
    ]


def plan_for_opened_case(
    *,
    promised_callback_at: datetime | None,
    first_contact_at: datetime | None,
    sla_due_at: datetime,
    timings: Timings = DEFAULT_TIMINGS,
    calendar: WorkingCalendar | None = None,
    now: datetime,
) -> list[Planned]:
    """A new case: its promised callback's reminders, and an escalation at the first-contact
    deadline (already counted in working time where the policy says so) if nobody has spoken to
    the customer."""
    planned = []
    if promised_callback_at is not None:
        planned += plan_for_callback(promised_callback_at, timings, calendar, now=now)
    if first_contact_at is None:
        planned.append(Planned(Purpose.FIRST_CONTACT_ESCALATION, "escalation", True, sla_due_at))
    return planned


def plan_for_approved_remedy(deliver_by: datetime) -> Planned:
    """An approved remedy not delivered in time reminds the assignee when it falls due: at the
    proposal's own deadline (recovery.policy.delivery_due, in working time where the policy
    says so), the moment the dashboard starts counting it late."""
    return Planned(Purpose.DELIVERY_REMINDER, "staff_reminder", False, deliver_by)


def plan_for_delivered_remedy(delivered_at: datetime) -> Planned:
    """The customer hears at once what was done."""
    return Planned(Purpose.REMEDY_MESSAGE, "customer_message", False, delivered_at)


def plan_for_closed_case(closed_at: datetime, timings: Timings = DEFAULT_TIMINGS) -> Planned:
    """Some days after closing, ask the customer whether things are right."""
    return Planned(
        Purpose.SATISFACTION_CHECK, "satisfaction_check", False, closed_at + timings.satisfaction_check_after
    )
