"""What one case adds to the dashboard's figures (no Django import).

Every figure is about the cases *logged* on the chosen days: how fast they were
answered, what was given, whether the customer heard back and what they said.
Each case adds whole numbers and amounts to a row of counters (`case_counts`);
the rows of a day, a location, a category and a severity are summed into a
roll-up, and any range of days is the sum of its rows. So every figure here is
something that adds up: counts, sums (for averages), and histograms of durations
(for the median and the 90th percentile, given to the bucket: "within 2 hours").
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

# Upper bounds of the duration buckets, in minutes; the last bucket has none.
BUCKET_EDGES = (15, 30, 60, 120, 240, 480, 1440, 2880, 4320, 10080, 20160, 43200)
BUCKETS = len(BUCKET_EDGES) + 1
DURATIONS = ("contact", "resolution", "approval")  # each a histogram and a sum of seconds

# "I'm so sorry" and nothing else is not enough from moderate harm upwards.
SERIOUS = frozenset({"moderate", "major", "critical"})
APOLOGY = "apology"
NOT_COMPENSATION = frozenset({"correction"})  # giving back an overcharge is owed, not given
# A follow-up is on time if it went out within this long of its due time.
ON_TIME_SECONDS = 5 * 60
RATINGS = (1, 2, 3, 4, 5)
WILL_RETURN = ("yes", "not_sure", "no")
OUTCOMES = ("retained", "lost", "unknown")

# The counters of a roll-up row, in order. Amounts are Decimals, the rest integers.
COUNTS = (
    "cases",
    "repeat_second",  # the customer's second incident
    "repeat_later",  # their third or later
    "contacted",
    "sla_on_time",
    "sla_late",
    "uncontacted",
    "resolved",
    "decided",  # proposals decided by a manager or owner (approval turnaround)
    "granted_cases",  # cases given something beyond an apology
    "on_the_spot",  # ... of them approved on the spot, within the proposer's own authority
    "undelivered",  # cases with an approved remedy not delivered yet
    "remedy_delivered",  # cases whose remedy reached the customer
    "told_remedy",  # ... and the customer was told what was done
    "corrective_done",  # cases linked to a corrective action that is done
    "told_corrective",  # ... and the customer was told what changed
    "followups_sent",
    "followups_on_time",
    "followups_failed",
    "callbacks_kept",
    "callbacks_missed",
    "apology_only",  # closed at moderate or worse with an apology at most
    "closed_retained",
    "closed_lost",
    "closed_unknown",
    "answers",
    "rating_sum",
    *(f"rating_{rating}" for rating in RATINGS),
    *(f"will_return_{answer}" for answer in WILL_RETURN),
    "recovered_answers",  # answers from customers given a remedy beyond an apology
    "recovered_rating_sum",
    "recovered_will_return_yes",
    *(f"{measure}_seconds" for measure in DURATIONS),
    *(f"{measure}_{index}" for measure in DURATIONS for index in range(BUCKETS)),
)
AMOUNTS = ("granted_face", "granted_cost", "delivered_face", "delivered_cost")
FIELDS = COUNTS + AMOUNTS
REMEDY_FIELDS = ("granted_count", "granted_face", "granted_cost", "delivered_count", "delivered_face", "delivered_cost")
STAFF_FIELDS = ("cases", "contacted", "contact_seconds", "sla_on_time", "granted_cases", "on_the_spot")


@dataclass(frozen=True)
class Remedy:
    """One remedy granted (its proposal approved or delivered)."""

    kind: str
    face_value: Decimal
    cost: Decimal
    delivered: bool


@dataclass(frozen=True)
class FollowUpRecord:
    purpose: str
    state: str
    due_at: datetime
    sent_at: datetime | None = None
    done_at: datetime | None = None


@dataclass(frozen=True)
class CaseRecord:
    """What the roll-up reads of one case and the rows that hang off it."""

    created_at: datetime
    severity: str
    state: str
    sla_due_at: datetime
    first_contact_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: str = ""
    incident_number: int = 1  # 1 for the customer's first incident, 2 for the second, ...
    remedies: tuple[Remedy, ...] = ()
    # (proposed_at, decided_at, decided by someone other than the proposer?) for each decided proposal
    decisions: tuple[tuple[datetime, datetime, bool], ...] = ()
    followups: tuple[FollowUpRecord, ...] = ()
    corrective_done: bool = False
    actions: tuple[int, ...] = ()  # the corrective actions the case is linked to
    rating: int | None = None
    will_return: str = ""
    loss: Decimal = Decimal(0)  # the price of what failed plus the customer's own costs
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def bucket_of(seconds: float) -> int:
    """The index of the duration bucket `seconds` falls in (upper bounds inclusive)."""
    minutes = max(seconds, 0) / 60
    for index, edge in enumerate(BUCKET_EDGES):
        if minutes <= edge:
            return index
    return len(BUCKET_EDGES)


def _add_duration(counts: Counter[str], measure: str, seconds: float) -> None:
    seconds = max(seconds, 0)
    counts[f"{measure}_seconds"] += round(seconds)
    counts[f"{measure}_{bucket_of(seconds)}"] += 1


def _add_money(counts: Counter[str], prefix: str, remedy: Remedy) -> None:
    """The money counters hold Decimal: a Counter adds whatever it is given, though its stubs say int."""
    counts[f"{prefix}_face"] += remedy.face_value  # type: ignore[assignment]  # Decimal, see above
    counts[f"{prefix}_cost"] += remedy.cost  # type: ignore[assignment]  # Decimal, see above


def _granted_beyond_apology(record: CaseRecord) -> list[Remedy]:
    return [r for r in record.remedies if r.kind != APOLOGY and r.kind not in NOT_COMPENSATION]


def case_counts(record: CaseRecord) -> Counter[str]:
    """The counters this case adds to its roll-up row (only the non-zero ones)."""
    c: Counter[str] = Counter(cases=1)
    if record.incident_number == 2:
        c["repeat_second"] += 1
    elif record.incident_number > 2:
        c["repeat_later"] += 1
    closed = _count_speed(c, record)
    _count_remedies(c, record, closed)
    _count_followups(c, record)
    _count_answers(c, record)
    return c


def _count_speed(c: Counter[str], record: CaseRecord) -> bool:
    """First contact (and its deadline), resolution and the approval turnaround. Returns
    whether the case is closed."""
    if record.first_contact_at is not None:
        c["contacted"] += 1
        _add_duration(c, "contact", (record.first_contact_at - record.created_at).total_seconds())
        c["sla_on_time" if record.first_contact_at <= record.sla_due_at else "sla_late"] += 1
    else:
        c["uncontacted"] += 1

    closed_at = record.closed_at if record.state == "closed" else None
    if closed_at is not None:
        c["resolved"] += 1
        _add_duration(c, "resolution", (closed_at - record.created_at).total_seconds())
        if record.outcome in OUTCOMES:
            c[f"closed_{record.outcome}"] += 1

    for proposed_at, decided_at, by_someone_else in record.decisions:
        if by_someone_else:
            c["decided"] += 1
            _add_duration(c, "approval", (decided_at - proposed_at).total_seconds())
    return closed_at is not None


def _count_remedies(c: Counter[str], record: CaseRecord, closed: bool) -> None:
    """What was granted and delivered, on the spot or not, and whether the customer was told
    of the remedy and of the cause fixed."""
    compensation = [r for r in record.remedies if r.kind not in NOT_COMPENSATION]
    for remedy in compensation:
        _add_money(c, "granted", remedy)
        if remedy.delivered:
            _add_money(c, "delivered", remedy)
    beyond = _granted_beyond_apology(record)
    if beyond:
        c["granted_cases"] += 1
        if any(not by_someone_else for _, _, by_someone_else in record.decisions):
            c["on_the_spot"] += 1
    if closed and record.severity in SERIOUS and not beyond:
        c["apology_only"] += 1
    if any(not r.delivered for r in record.remedies):
        c["undelivered"] += 1  # a delivered proposal has every remedy delivered: this one is approved
    if any(r.delivered for r in record.remedies):
        c["remedy_delivered"] += 1
        if _sent(record, "remedy_message"):
            c["told_remedy"] += 1
    if record.corrective_done:
        c["corrective_done"] += 1
        if _sent(record, "corrective_message"):
            c["told_corrective"] += 1


def _count_followups(c: Counter[str], record: CaseRecord) -> None:
    """Follow-ups sent (on time or not) or failed, and promised callbacks kept or missed."""
    for followup in record.followups:
        if followup.state == "failed":
            c["followups_failed"] += 1
        elif followup.sent_at is not None:
            c["followups_sent"] += 1
            if (followup.sent_at - followup.due_at).total_seconds() <= ON_TIME_SECONDS:
                c["followups_on_time"] += 1
    if any(f.purpose == "callback_escalation" and f.sent_at is not None for f in record.followups):
        c["callbacks_missed"] += 1
    elif any(f.purpose == "callback_reminder" and f.state == "done" for f in record.followups):
        c["callbacks_kept"] += 1


def _count_answers(c: Counter[str], record: CaseRecord) -> None:
    """The customer's answer, apart for those given a remedy beyond an apology that reached them."""
    if record.rating is None:
        return
    c["answers"] += 1
    c["rating_sum"] += record.rating
    c[f"rating_{record.rating}"] += 1
    if record.will_return in WILL_RETURN:
        c[f"will_return_{record.will_return}"] += 1
    if any(r.delivered for r in _granted_beyond_apology(record)):
        c["recovered_answers"] += 1
        c["recovered_rating_sum"] += record.rating
        c["recovered_will_return_yes"] += record.will_return == "yes"


def _sent(record: CaseRecord, purpose: str) -> bool:
    return any(f.purpose == purpose and f.sent_at is not None for f in record.followups)


def remedy_counts(record: CaseRecord) -> dict[str, Counter[str]]:
    """By remedy kind: what this case was granted and what reached the customer."""
    kinds: dict[str, Counter[str]] = {}
    for remedy in record.remedies:
        c = kinds.setdefault(remedy.kind, Counter())
        c["granted_count"] += 1
        _add_money(c, "granted", remedy)
        if remedy.delivered:
            c["delivered_count"] += 1
            _add_money(c, "delivered", remedy)
    return kinds


def staff_counts(counts: Counter[str]) -> dict[str, int]:
    """What a case adds to its assignee's row, from what `case_counts` said it adds."""
    return {name: counts[name] for name in STAFF_FIELDS if counts[name]}
