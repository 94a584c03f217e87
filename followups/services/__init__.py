"""Follow-ups: scheduling (plans applied, staff changes) and sending (claim, send, fail)."""

from .bounces import followup_bounced
from .scheduling import (
    customer_channel,
    followup_cancel,
    followup_mark_done,
    followup_move,
    followup_schedule,
    followups_callback_made,
    followups_cancel_purposes,
    followups_plan_callback,
    followups_plan_closed_case,
    followups_plan_delivered_remedy,
    followups_plan_delivery_reminder,
    followups_plan_opened_case,
    followups_plan_reopened_case,
)
from .sending import (
    compose_for,
    followup_claim_due,
    followup_record_failure,
    followup_send,
    followups_dispatch,
    followups_release,
    lease,
    staff_message_compose,
)

__all__ = [
    "compose_for",
    "followup_bounced",
    "customer_channel",
    "followup_cancel",
    "followup_claim_due",
    "followup_mark_done",
    "followup_move",
    "followup_record_failure",
    "followup_schedule",
    "followup_send",
    "followups_callback_made",
    "followups_cancel_purposes",
    "followups_dispatch",
    "followups_plan_delivery_reminder",
    "followups_plan_callback",
    "followups_plan_closed_case",
    "followups_plan_delivered_remedy",
    "followups_plan_opened_case",
    "followups_plan_reopened_case",
    "followups_release",
    "lease",
    "staff_message_compose",
]
