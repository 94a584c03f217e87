"""Which follow-ups a case's facts call for, and when (no Django import).

Promises staff make must be kept: a promised callback gets a reminder to the
assignee shortly before, and an escalation to the location's managers if it is
not marked done soon after. A case nobody has contacted by its deadline escalates.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

REMIND_BEFORE_CALLBACK = timedelta(minutes=15)
ESCALATE_AFTER_CALLBACK = timedelta(minutes=30)

# What each planned follow-up is for; the same words mark them on the case, so a
# later change (first contact made, case closed) can find and cancel them.
CALLBACK_REMINDER = "Call the customer back as promised"
CALLBACK_ESCALATION = "A promised callback was not made"
FIRST_CONTACT_ESCALATION = "Nobody has contacted the customer yet"


@dataclass(frozen=True)
class Planned:
    purpose: str
    kind: str  # FollowUp.Kind value
    to_managers: bool  # else to the case's assignee
    due_at: datetime


def plan_for_opened_case(
    *,
    promised_callback_at: datetime | None,
    first_contact_at: datetime | None,
    sla_due_at: datetime,
) -> list[Planned]:
    planned = []
    if promised_callback_at is not None:
        planned.append(
            Planned(CALLBACK_REMINDER, "staff_reminder", False, promised_callback_at - REMIND_BEFORE_CALLBACK)
        )
        planned.append(Planned(CALLBACK_ESCALATION, "escalation", True, promised_callback_at + ESCALATE_AFTER_CALLBACK))
    if first_contact_at is None:
        planned.append(Planned(FIRST_CONTACT_ESCALATION, "escalation", True, sla_due_at))
    return planned
