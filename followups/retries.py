"""When a follow-up that could not be sent is tried again, and when never (pure: no Django).

A temporary failure (a mail server that answers 4xx, cannot be reached or does not answer in
time, a fault of our own) is tried again with capped backoff, however many tries it takes, for
a window since the follow-up first failed (`AMENDS_FOLLOWUP_RETRY_SECONDS`, a day by default):
an outage shorter than that never fails a message. The waits are core/retries.py's, the
webhooks' rule, with shorter steps: a customer waits for these.

A permanent refusal fails at once, with the server's words: a 5xx reply to the message itself
(every recipient refused, or the message's content refused after DATA). A 5xx about the sending
side (authentication, our sender address, the greeting) says the set-up is wrong, not the
message: it is temporary, so the messages go once someone mends the set-up.
"""

import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from core.retries import next_attempt

# The first retry after 30 to 60 seconds; no wait longer than five minutes, so the messages
# go within minutes of a mail server coming back, however long it was away.
FIRST_WAIT_SECONDS = 60.0
LONGEST_WAIT_SECONDS = 300.0


def smtp_codes(error: BaseException) -> list[int]:
    """The SMTP reply codes a refusal about the message carries (none for any other failure)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return [code for code, _words in error.recipients.values()]
    if isinstance(error, smtplib.SMTPDataError):
        return [error.smtp_code]
    return []


def is_permanent(error: BaseException) -> bool:
    """Whether no retry can mend this failure: every code it carries is 5xx (550, 554, …)."""
    codes = smtp_codes(error)
    return bool(codes) and all(500 <= code < 600 for code in codes)


def retry_at(
    *, attempts: int, now: datetime, failing_since: datetime, window: timedelta, random: Callable[[], float]
) -> datetime | None:
    """When to try a temporary failure again after `attempts` tries, or None: the window since
    it first failed has run out, and it fails for good."""
    return next_attempt(
        attempts=attempts,
        now=now,
        started=failing_since,
        give_up_after=window,
        random=random,
        first=FIRST_WAIT_SECONDS,
        longest=LONGEST_WAIT_SECONDS,
    )
