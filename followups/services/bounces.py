"""A message to the customer that came back: the receiving server's bounce (read by inbox/)."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from ..models import FollowUp
from ..states import FollowUpState
from .sending import record_failed

# The follow-up's last error (data, in English), marked for translation.
BOUNCED = gettext_noop("Bounced")
BOUNCED_BECAUSE = gettext_noop("Bounced: {reason}")
# The Message-ID every follow-up is sent with (sending._message_id).
_FOLLOWUP_MESSAGE_ID = re.compile(r"^<followup-(\d{1,18})@amends>$")


def followup_of_message_id(message_id: str) -> int | None:
    """The follow-up a Message-ID we sent names, or None."""
    match = _FOLLOWUP_MESSAGE_ID.match(message_id.strip().lower())
    return int(match.group(1)) if match else None


@transaction.atomic
def followup_bounced(*, message_id: str, reason: str, now: datetime | None = None) -> FollowUp | None:
    """A bounce names a message we sent: the follow-up is marked failed (it did not reach the
    customer after all), the timeline says why, and the location's managers are told, as for
    any message that could not be sent. Returns the follow-up, or None when the id is not one
    of ours or names no sent follow-up (a bounce twice changes nothing the second time)."""
    followup_id = followup_of_message_id(message_id)
    if followup_id is None:
        return None
    followup = FollowUp.objects.select_for_update(of=("self",)).select_related("case").filter(pk=followup_id).first()
    if followup is None or followup.state != FollowUpState.SENT.value:
        return None
    now = now or timezone.now()
    followup.state = FollowUpState.FAILED.value
    followup.last_error = BOUNCED_BECAUSE.format(reason=reason)[:500] if reason else BOUNCED
    # Only a sent follow-up has a sent_at (a constraint); when it went is on the timeline.
    followup.sent_at = None
    followup.save(update_fields=["state", "last_error", "sent_at"])
    record_failed(followup, now, f"“{followup.subject}” did not reach the customer", "bounced")
    return followup
