"""Sending follow-ups: claim (a lease, SKIP LOCKED), send, record a failure; each idempotent.

The broker is only a doorbell: the dispatcher claims due rows in the database
and enqueues their ids; the send re-reads the row under a lock and does nothing
if someone already sent it. The lease is short and renewed by the worker while it
works its chunk, so a worker that dies mid-send leaves its rows for seconds, not
minutes; they are claimed again when the lease runs out. `attempts` counts sends
tried, never claims: a chunk that could not start (the database away) uses none.
A temporary failure is tried again for a day (followups/retries.py), a permanent
refusal fails at once.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, models, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_noop

from accounts.locations import sender_of, signature_of
from accounts.models import User
from accounts.roles import managers_of
from cases import events
from cases.events import Kind
from cases.links import customer_link
from cases.models import Case
from cases.reply_tokens import reply_headers
from cases.services import case_contacted_in_writing
from core.batches import hand_out
from core.exceptions import ApplicationError
from core.links import absolute_url
from core.services import notify

from ..channels import OutgoingMessage, send_email, send_sms
from ..messages import Composed, Wording, compose, composed, wording_for
from ..models import FollowUp, MessageTemplate
from ..plans import CUSTOMER_PURPOSES, Purpose
from ..retries import is_permanent, retry_at
from ..selectors import claimable
from ..states import FollowUpState

log = logging.getLogger(__name__)

# Why a follow-up was not sent: kept in English as its last error (data), marked for translation.
NO_ADDRESS = gettext_noop("The customer has no {channel} to send this to.")
NO_CONSENT = gettext_noop("The customer has not agreed to be contacted.")
STAFF_NO_EMAIL = gettext_noop("{name} has no email address.")
GAVE_UP = gettext_noop("Not sent within {hours} hours of its first failure: {reason}")
WORKER_STOPPED = gettext_noop("each time, its worker stopped mid-send or its message was lost.")
NOT_A_CUSTOMER_CHANNEL = gettext_noop("A message to the customer goes by email or text message.")


def lease() -> timedelta:
    """How long a claimed row is left to its worker before another may take it (the worker
    renews it every third of that while it works)."""
    return timedelta(seconds=settings.AMENDS_FOLLOWUP_LEASE_SECONDS)


def retry_window() -> timedelta:
    """How long a follow-up that fails for a temporary reason is tried again."""
    return timedelta(seconds=settings.AMENDS_FOLLOWUP_RETRY_SECONDS)


def followup_claim_due(
    *, now: datetime | None = None, batch: int = 100, lease_for: timedelta | None = None
) -> list[int]:
    """Claim up to `batch` due follow-ups for this worker and return their ids.

    Rows locked by another dispatcher are skipped, not waited for, so two beats
    (or workers) never take the same row. The lease makes a dead worker's rows
    claimable again soon. A claim is not a try: `attempts` is left alone. A row whose
    last lease ran out with no outcome starts its retry window here, so one that kills
    its worker every time is failed in the end (`followups_fail_stuck`), not tried for ever.
    """
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            claimable(now)
            .select_for_update(skip_locked=True)
            .order_by("due_at", "id")
            .values_list("pk", flat=True)[:batch]
        )
        if ids:
            lease_ran_out = models.Case(
                models.When(claimed_until__isnull=False, then=models.Value(now)),
                default=None,
                output_field=models.DateTimeField(),
            )
            FollowUp.objects.filter(pk__in=ids).update(
                claimed_until=now + (lease_for or lease()), failing_since=Coalesce("failing_since", lease_ran_out)
            )
    return ids


def followups_release(*, ids: list[int]) -> int:
    """Give back claimed rows that were not tried (the broker was down, a chunk ran out of
    time), so the next sweep takes them at once instead of after the lease."""
    return FollowUp.objects.filter(pk__in=ids, state=FollowUpState.SCHEDULED.value).update(claimed_until=None)


def followups_renew(*, ids: list[int], now: datetime | None = None) -> int:
    """A live worker's hold on the rows of its chunk still to send: their lease runs again from
    now. Never shortened: a row held back after a failure keeps its wait."""
    until = (now or timezone.now()) + lease()
    return (
        FollowUp.objects.filter(pk__in=ids, state=FollowUpState.SCHEDULED.value)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=until))
        .update(claimed_until=until)
    )


@dataclass
class Prefetched:
    """What a chunk of sends reads once instead of once a row: the cases (with customer and
    location), the staff recipients, the owner's wordings, the managers of each location.

    Read without locks just before the sends, as the single-row join used to read them (a
    join under FOR UPDATE OF the follow-up locks only the follow-up): a customer who
    withdraws consent, or is anonymised, in the second a chunk takes to send could still
    get that one message, as before. The follow-up row itself is always read under its lock.
    """

    cases: dict[int, Case]
    recipients: dict[int, "User"]
    wordings: dict
    managers: dict[int, list] = field(default_factory=dict)

    def attach(self, followup: FollowUp) -> None:
        """Give the locked row its case and recipient from here (one query each if missing)."""
        case = self.cases.get(followup.case_id)
        if case is None:
            case = self.cases[followup.case_id] = Case.objects.select_related("customer", "location").get(
                pk=followup.case_id
            )
        followup.case = case
        if followup.recipient_id is not None:
            recipient = self.recipients.get(followup.recipient_id)
            followup.recipient = recipient if recipient is not None else followup.recipient

    def managers_of(self, case: Case) -> list:
        if case.location_id not in self.managers:
            self.managers[case.location_id] = managers_of(case.location_id)
        return self.managers[case.location_id]


def followups_prefetch(*, ids: list[int]) -> Prefetched:
    """Read what sending these follow-ups needs, in four queries however many they are."""
    rows = list(FollowUp.objects.filter(pk__in=ids).values_list("case_id", "recipient_id"))
    return Prefetched(
        cases=Case.objects.select_related("customer", "location").in_bulk({case_id for case_id, _ in rows}),
        recipients=User.objects.in_bulk({recipient for _, recipient in rows if recipient is not None}),
        wordings=_owned_wordings(),
    )


def followup_send(*, followup_id: int, now: datetime | None = None, prefetched: Prefetched | None = None) -> bool:
    """Send one follow-up if it is still to be sent. Returns True if this call sent it.

    Safe to call twice for the same id (a redelivered message): the second finds
    it sent, or locked by the first, and does nothing. The row is marked sent in
    the same transaction as the send, so a send that fails leaves it to be retried.
    A chunk of sends passes what `followups_prefetch` read for all of them.
    """
    now = now or timezone.now()
    prefetched = prefetched or followups_prefetch(ids=[followup_id])
    with transaction.atomic():
        followup = _lock_and_mark_sent(followup_id, now)
        if followup is None:
            return False
        prefetched.attach(followup)
        # Raises if the message cannot go: the transaction, and so the mark, is rolled back.
        _deliver(followup, prefetched)
        _timeline_sent(followup, now)
        if followup.purpose == Purpose.STAFF_MESSAGE and followup.case.first_contact_at is None:
            # Off the fast path: only the messages staff write count as reaching the customer.
            how = followup.get_channel_display().lower()
            case_contacted_in_writing(case=followup.case, actor=followup.created_by, how=how, now=now)
    return True


def _sent_note(followup: FollowUp) -> str:
    if followup.purpose in CUSTOMER_PURPOSES:
        return f"{followup.get_purpose_display()}: sent by {followup.get_channel_display().lower()}."
    if followup.recipient is not None:
        return f"Reminder sent to {followup.recipient}: {followup.subject}."
    return f"Sent to the location's managers: {followup.subject}."


def _timeline_sent(followup: FollowUp, now: datetime) -> None:
    """The line on the case's timeline for a follow-up sent (the dashboard's figures are
    brought up to date from the timeline), through the log's fast path: see record_fast."""
    events.record_fast(
        kind=Kind.FOLLOWUP_SENT,
        case_id=followup.case_id,
        location_id=followup.case.location_id,
        now=now,
        note=_sent_note(followup),
        payload=events.FollowupSent(followup_id=followup.pk, purpose=followup.purpose, channel=followup.channel),
    )


def _lock_and_mark_sent(followup_id: int, now: datetime) -> FollowUp | None:
    """The lock, the guard and the mark in one statement: the row, if it is still to be sent
    and no one else holds it, marked sent (uncommitted: the caller's transaction commits it
    once the message is out, or rolls it back); None if it is not to be sent (any more).

    One UPDATE … RETURNING instead of SELECT … FOR UPDATE then UPDATE through the ORM:
    half the time of the whole send on our machine went to building those two queries.
    It returns the fields sending reads (no time stamps, which would need the database's
    conversions; they load on first use). SQLite has no row locks (its transactions take
    the write lock up front): the guard alone does it there.
    """
    quote = connection.ops.quote_name
    table = quote(FollowUp._meta.db_table)
    if connection.features.has_select_for_update_skip_locked:
        which = f"id = (SELECT id FROM {table} WHERE id = %s AND state = %s AND sent_at IS NULL FOR UPDATE SKIP LOCKED)"
    else:
        which = "id = %s AND state = %s AND sent_at IS NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET state = %s, sent_at = %s, claimed_until = NULL, last_error = '', "
            "attempts = attempts + 1, failing_since = NULL "
            f"WHERE {which} RETURNING {', '.join(quote(column) for column in _RETURNED.values())}",
            [
                FollowUpState.SENT.value,
                connection.ops.adapt_datetimefield_value(now),
                followup_id,
                FollowUpState.SCHEDULED.value,
            ],
        )
        row = cursor.fetchone()
    return None if row is None else FollowUp.from_db(connection.alias, list(_RETURNED), row)


# What _lock_and_mark_sent reads back: every field but the time stamps, attribute -> column.
_RETURNED = {
    field.attname: field.column
    for field in FollowUp._meta.concrete_fields
    if not isinstance(field, models.DateTimeField)
}


def _deliver(followup: FollowUp, prefetched: Prefetched) -> None:
    case = followup.case
    if followup.purpose in CUSTOMER_PURPOSES:
        _deliver_to_customer(followup, prefetched.wordings)
        return
    people = [followup.recipient] if followup.recipient else prefetched.managers_of(case)
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
            text=(followup.body or followup.subject) + f"\n\n{absolute_url(url)}\n",
            message_id=_message_id(followup),
        )
        send_sms(message) if followup.channel == FollowUp.Channel.SMS else send_email(message)


def customer_values(followup: FollowUp) -> dict[str, str]:
    """What the placeholders of a message to the customer stand for, in the active language
    (the date's month)."""
    case = followup.case
    return {
        "first_name": case.customer.first_name,
        "reference": case.reference,
        "incident_date": date_format(timezone.localtime(case.occurred_at), "j F Y"),
        "business": case.location.name,
        "signature": signature_of(case.location),
        "details": followup.body,
        "link": customer_link(case.pk),
    }


def _owned_wordings() -> dict[tuple[str, str], Wording]:
    """The owner's wording of each purpose and language they have edited (a handful of rows)."""
    return {
        (owned.purpose, owned.language): Wording(owned.subject, owned.body) for owned in MessageTemplate.objects.all()
    }


def compose_for(followup: FollowUp, wordings: dict[tuple[str, str], Wording] | None = None) -> Composed:
    """The message a customer follow-up says, in the customer's language: the owner's wording
    in that language, else the built-in one translated; dates in that language too.
    Works on an unsaved FollowUp too: pages use it to preview a message before it goes.
    `wordings` (from `_owned_wordings`) saves the query when composing many."""
    language = followup.case.customer.language
    with translation.override(language):
        if followup.purpose == Purpose.STAFF_MESSAGE:
            # Staff's words, stored filled in as the customer was shown them (staff_message_compose).
            return composed(followup.subject, followup.body)
        wordings = _owned_wordings() if wordings is None else wordings
        return compose(wording_for(Purpose(followup.purpose), language, wordings), customer_values(followup))


def staff_message_compose(*, case: Case, subject: str, body: str) -> Composed:
    """What the customer reads of words staff wrote to them: the placeholders filled in for
    this case (there are no details to add: the words are the whole message). The preview
    shows exactly this, and the follow-up stores it as it is, to be sent unchanged."""
    with translation.override(case.customer.language):  # the date's month, the layout's language
        values = customer_values(FollowUp(case=case, purpose=Purpose.STAFF_MESSAGE.value))
        return compose(Wording(subject, body), {**values, "details": ""})


def _deliver_to_customer(followup: FollowUp, wordings: dict | None = None) -> None:
    customer = followup.case.customer
    if not customer.contact_consent:
        raise ApplicationError(NO_CONSENT)
    address = customer.phone if followup.channel == FollowUp.Channel.SMS else customer.email
    if not address:
        raise ApplicationError(NO_ADDRESS.format(channel=followup.get_channel_display().lower()))
    composed = compose_for(followup, wordings)
    sender = sender_of(followup.case.location)
    message = OutgoingMessage(address, composed.subject, composed.text, composed.html, _message_id(followup), sender)
    if followup.channel == FollowUp.Channel.SMS:
        send_sms(message)
    elif followup.channel == FollowUp.Channel.EMAIL:
        # Every email to a customer: a reply goes to an address naming the case, and the
        # case's thread id comes first in References (cases/reply_tokens.py).
        reply_to, references = reply_headers(followup.case)
        send_email(replace(message, reply_to=reply_to, references=references))
    else:
        raise ApplicationError(NOT_A_CUSTOMER_CHANNEL)


def _message_id(followup: FollowUp) -> str:
    return f"<followup-{followup.pk}@amends>"


@transaction.atomic
def followup_record_failure(
    *, followup_id: int, error: str, permanent: bool = False, now: datetime | None = None
) -> FollowUp:
    """After a send was tried and failed: the try is counted; a permanent failure (no retry
    can mend it) is marked failed at once; a temporary one is held back in the database
    (capped backoff, so no retry depends on the broker keeping a delayed message) and tried
    again until the retry window since it first failed runs out, then marked failed. A
    failure is shown to the location's managers: nothing is dropped silently."""
    now = now or timezone.now()
    followup = FollowUp.objects.select_for_update(of=("self",)).select_related("case").get(pk=followup_id)
    if followup.state != FollowUpState.SCHEDULED.value:
        return followup
    followup.attempts += 1
    followup.last_error = error[:500]
    followup.failing_since = followup.failing_since or now
    # The lease doubles as "not before": the first sweep after it takes the row again.
    followup.claimed_until = None
    if not permanent:
        followup.claimed_until = retry_at(
            attempts=followup.attempts,
            now=now,
            failing_since=followup.failing_since,
            window=retry_window(),
            random=random.random,
        )
    if followup.claimed_until is None:
        followup.state = FollowUpState.FAILED.value
        record_failed(followup, now, f"Could not send “{followup.subject}”", "could not send")
    followup.save(update_fields=["attempts", "last_error", "failing_since", "claimed_until", "state"])
    return followup


def record_failed(followup: FollowUp, now: datetime, note: str, told: str) -> None:
    """A follow-up failed for good: on the timeline (`note`: its error follows) and to the
    location's managers (`told`: "could not send", "bounced"), so nothing fails silently."""
    case = followup.case
    events.record(
        kind=Kind.FOLLOWUP_FAILED,
        case=case,
        now=now,
        note=f"{note}: {followup.last_error}",
        payload=events.FollowupFailed(followup_id=followup.pk, purpose=followup.purpose, error=followup.last_error),
    )
    for person in managers_of(case.location_id):
        notify(
            user=person,
            text=f"{case.reference}: {told} “{followup.subject}”: {followup.last_error}",
            url=case.get_absolute_url() + "#followups",
        )


def followups_fail_stuck(*, now: datetime | None = None, batch: int = 100) -> int:
    """Mark failed, and show the managers, the follow-ups still not sent a retry window after
    they first failed, whose failures were never recorded: each time their worker died
    mid-send or their message was lost with the broker. Only once the last lease has run out
    (its worker may still be at it until then). Without this a row that kills its worker
    every time would be claimed for ever. How many it marked."""
    now = now or timezone.now()
    stuck = list(
        FollowUp.objects.filter(
            state=FollowUpState.SCHEDULED.value, due_at__lte=now, failing_since__lte=now - retry_window()
        )
        .exclude(claimed_until__gt=now)
        .values_list("pk", flat=True)[:batch]
    )
    hours = round(retry_window().total_seconds() / 3600)
    for followup_id in stuck:
        with transaction.atomic():
            followup = FollowUp.objects.select_for_update(of=("self",)).select_related("case").get(pk=followup_id)
            if followup.state != FollowUpState.SCHEDULED.value:
                continue
            reason = followup.last_error or WORKER_STOPPED
            followup.state, followup.claimed_until = FollowUpState.FAILED.value, None
            followup.last_error = GAVE_UP.format(hours=hours, reason=reason)[:500]
            followup.save(update_fields=["state", "claimed_until", "last_error"])
            record_failed(followup, now, f"Could not send “{followup.subject}”", "could not send")
    return len(stuck)


# The database is away (down, restarting, the connection cut), as opposed to a row at fault.
DATABASE_AWAY = (OperationalError, InterfaceError)


def followups_send_chunk(
    *,
    ids: list[int],
    budget_seconds: float,
    now: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Send a chunk of claimed follow-ups one by one, each as `followup_send` does (its own
    lock, guard and transaction), reading what they all need once. Returns how many it sent.

    While it works it renews the lease of the rows still to send, every third of the lease.
    A failed send is recorded on its row (`followup_record_failure`: a permanent refusal
    fails it, anything else is tried again later) and the others go on. If the database
    goes away, the chunk waits for it, within its time budget, and carries on where it was:
    no row counts a try it did not get, none waits out a lease. The one send that may go
    twice is one whose mail left just before its commit was cut: the same row again, with
    the same Message-ID. What the budget does not reach is given back to the next sweep."""
    deadline = clock() + budget_seconds
    renew_every = lease().total_seconds() / 3
    renewed_at: float | None = None
    prefetched: Prefetched | None = None
    sent = position = 0
    while position < len(ids):
        if clock() > deadline:
            log.warning("Out of time: %s follow-ups left to the next sweep", len(ids) - position)
            followups_release(ids=ids[position:])
            break
        try:
            if renewed_at is None or clock() - renewed_at >= renew_every:
                followups_renew(ids=ids[position:], now=now)
                renewed_at = clock()
            if prefetched is None:
                prefetched = followups_prefetch(ids=ids[position:])
            sent += _send_or_record(ids[position], prefetched, now)
        except DATABASE_AWAY as error:
            log.warning("The database went away mid-chunk (%s); waiting for it", error)
            if not _database_back(until=deadline, clock=clock):
                raise
            renewed_at = None
            continue
        position += 1
    return sent


def _send_or_record(followup_id: int, prefetched: Prefetched, now: datetime | None) -> bool:
    """Send one follow-up; a failure is recorded on its row, and only the database's absence
    goes up to the chunk."""
    try:
        return followup_send(followup_id=followup_id, prefetched=prefetched, now=now)
    except DATABASE_AWAY:
        raise
    except ApplicationError as error:  # no address, no consent, no text provider: no retry mends it
        log.warning("Follow-up %s not sent: %s", followup_id, error.message)
        followup_record_failure(followup_id=followup_id, error=error.message, permanent=True, now=now)
    except Exception as error:  # noqa: BLE001 - one row's failure (the mail server's, or a fault of ours) is that row's
        permanent = is_permanent(error)
        if isinstance(error, OSError):  # the mail server refused, or is unreachable or too slow
            log.warning("Follow-up %s not sent (%s): %s", followup_id, "for good" if permanent else "will retry", error)
        else:
            log.exception("Follow-up %s not sent, will retry", followup_id)
        error_text = str(error) or type(error).__name__
        followup_record_failure(followup_id=followup_id, error=error_text, permanent=permanent, now=now)
    return False


def _database_back(*, until: float, clock: Callable[[], float]) -> bool:
    """Wait for the database to answer again, until `until`; whether it did. The broken
    connection is dropped first: the next query opens a new one."""
    while True:
        connection.close()
        try:
            connection.ensure_connection()
            return True
        except DATABASE_AWAY:
            if clock() + 1 > until:
                return False
            time.sleep(1)


def followups_dispatch(
    *,
    enqueue: Callable[[list[int]], object],
    batch: int = 500,
    chunk: int = 50,
    budget_seconds: float = 45.0,
    now: datetime | None = None,
) -> int:
    """Claim every due follow-up in batches and hand their ids to `enqueue`, a list of at
    most `chunk` at a time; stop when none is due or the time is spent (the next beat
    carries on). Ids that could not be enqueued are released for the next sweep. First,
    what has been stuck for a retry window is marked failed."""
    followups_fail_stuck(now=now)
    return hand_out(
        claim=lambda size: followup_claim_due(batch=size, now=now),
        release=lambda ids: followups_release(ids=ids),
        enqueue=enqueue,
        batch=batch,
        chunk=chunk,
        budget_seconds=budget_seconds,
    )
