"""Which failed sends are tried again, and until when (followups/retries.py: pure, no database)."""

import smtplib
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from followups.retries import LONGEST_WAIT_SECONDS, is_permanent, retry_at

START = datetime(2026, 12, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("error", "permanent"),
    [
        (smtplib.SMTPRecipientsRefused({"a@example.com": (550, b"5.1.1 No such user")}), True),
        (smtplib.SMTPRecipientsRefused({"a@example.com": (451, b"4.3.0 Mailbox busy")}), False),
        # One recipient refused for now: the message may still go to it later.
        (smtplib.SMTPRecipientsRefused({"a@x.com": (550, b"no"), "b@x.com": (451, b"busy")}), False),
        (smtplib.SMTPDataError(554, b"5.7.1 Message refused as spam"), True),
        (smtplib.SMTPDataError(451, b"4.3.0 Try again later"), False),
        # About the sending side, not the message: mended by fixing the set-up, then they go.
        (smtplib.SMTPSenderRefused(550, b"5.7.1 Sender not allowed", "amends@example.com"), False),
        (smtplib.SMTPAuthenticationError(535, b"5.7.8 Bad credentials"), False),
        (smtplib.SMTPServerDisconnected("Connection unexpectedly closed"), False),
        (ConnectionRefusedError(111, "Connection refused"), False),
        (TimeoutError("timed out"), False),
        (ValueError("a fault of ours"), False),
    ],
)
def test_only_a_5xx_refusal_of_the_message_itself_is_permanent(error, permanent):
    assert is_permanent(error) is permanent


def test_the_waits_start_at_about_a_minute_and_double():
    waits = [
        retry_at(attempts=attempts, now=START, failing_since=START, window=DAY, random=lambda: 0.999999) - START
        for attempts in range(1, 7)
    ]
    assert [round(wait.total_seconds()) for wait in waits] == [60, 120, 240, 300, 300, 300]


@given(
    attempts=st.integers(min_value=1, max_value=10_000),
    into=st.timedeltas(min_value=timedelta(0), max_value=DAY - timedelta(microseconds=1)),
    draw=st.floats(min_value=0, max_value=1, exclude_max=True),
)
def test_inside_the_window_a_temporary_failure_is_always_tried_again_within_five_minutes(attempts, into, draw):
    now = START + into
    at = retry_at(attempts=attempts, now=now, failing_since=START, window=DAY, random=lambda: draw)
    assert at is not None
    assert now < at <= min(now + timedelta(seconds=LONGEST_WAIT_SECONDS), START + DAY)


@given(
    attempts=st.integers(min_value=1, max_value=10_000),
    past=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=30)),
)
def test_once_the_window_has_run_out_it_fails(attempts, past):
    now = START + DAY + past
    assert retry_at(attempts=attempts, now=now, failing_since=START, window=DAY, random=lambda: 0.5) is None


@given(outage=st.timedeltas(min_value=timedelta(seconds=1), max_value=DAY - timedelta(minutes=5)))
def test_an_outage_shorter_than_the_window_never_fails_a_message(outage):
    """Tried whenever it is held back to, through an outage of any length under the window:
    every retry is inside the window, and the first one after the outage ends comes within
    five minutes of its end."""
    now, attempts = START, 0
    while now < START + outage:
        attempts += 1
        after = retry_at(attempts=attempts, now=now, failing_since=START, window=DAY, random=lambda: 0.5)
        assert after is not None
        now = after
    assert now - (START + outage) <= timedelta(seconds=LONGEST_WAIT_SECONDS)
