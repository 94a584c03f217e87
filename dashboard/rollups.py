"""Keeping the roll-ups true: recompute the days whose cases changed.

Every change that moves a figure writes a line on its case's timeline (the
services do, in the same transaction). Every minute, `rollups_refresh` looks at
the timeline lines written since it last looked (and ten minutes before that, so
a transaction that committed late is not missed), finds the days those cases were
logged on, and recomputes those days from the cases, whole: a day's rows are
deleted and written again, then its month's rows are summed again from the days.
Recomputing is idempotent, so looking twice does no harm. The first run, and
`manage.py rollups_rebuild`, recompute every day.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.utils import timezone

from cases.models import Case
from corrective.models import CorrectiveActionCase
from corrective.states import ActionState
from followups.models import FollowUp
from portal.models import SatisfactionResponse
from recovery import outcomes
from recovery.models import OutcomeRollup, Proposal, ProposalLine

from . import facts
from .models import CaseRollup, CorrectiveRollup, Grain, RemedyRollup, RollupState, StaffRollup
from .periods import first_of_month, next_month

OVERLAP = timedelta(minutes=10)
KEY = ("location_id", "category", "severity")  # and the day, in every roll-up
# Each roll-up: its model, its counters, and what it adds to the key. The models share no base
# with a manager (OutcomeRollup is recovery's), hence Any for the model.
ROLLUPS: tuple[tuple[Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (CaseRollup, facts.FIELDS, ()),
    (RemedyRollup, facts.REMEDY_FIELDS, ("kind",)),
    (StaffRollup, facts.STAFF_FIELDS, ("staff_id",)),
    (CorrectiveRollup, ("cases",), ("action_id",)),
    (OutcomeRollup, outcomes.FIELDS, ("dimension", "value")),
)
GRANTED = Proposal.GRANTED_STATES
OUTCOME_STATES = ["sent", "done", "failed"]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date()


def runs_of(days: Iterable[date]) -> list[tuple[date, date]]:
    """Consecutive days joined into (first, last) runs, so a run is read in one go."""
    found: list[tuple[date, date]] = []
    for day in sorted(set(days)):
        if found and found[-1][1] + timedelta(days=1) == day:
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
    return found


# A case's logged day, location id, category and severity: the key of its roll-up rows.
Key = tuple[date, int, str, str]
Decision = tuple[datetime, datetime, bool]  # proposed, decided, by someone other than the proposer
Logged = dict[str, datetime]  # a filter on the case's creation, for the rows that hang off it


def case_records(first: date, last: date) -> Iterator[tuple[Key, int | None, facts.CaseRecord]]:
    """(key, assignee id, CaseRecord) for every case logged from `first` to `last`;
    key is (day, location id, category, severity). Seven queries for the whole run."""
    start, end = local_midnight(first), local_midnight(last + timedelta(days=1))
    logged: Logged = {"case__created_at__gte": start, "case__created_at__lt": end}
    earlier = (
        Case.objects.filter(customer=OuterRef("customer"), created_at__lt=OuterRef("created_at"))
        .order_by()
        .values("customer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    cases = (
        Case.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by()
        .annotate(earlier=Subquery(earlier))
        .values_list(
            "pk", "created_at", "location_id", "category", "severity", "state", "outcome",
            "first_contact_at", "sla_due_at", "closed_at", "assignee_id", "earlier",
            "order_value", "hidden_costs",
        )
    )  # fmt: skip
    decisions = _decisions(logged)
    remedies = _remedies(start, end)
    followups = _followups(logged)
    answers = _answers(logged)
    actions, corrected = _actions(logged)
    for (
        pk, created_at, location_id, category, severity, state, outcome,
        first_contact_at, sla_due_at, closed_at, assignee_id, earlier,
        order_value, hidden_costs,
    ) in cases.iterator(chunk_size=5000):  # fmt: skip
        rating, will_return = answers.get(pk, (None, ""))
        record = facts.CaseRecord(
            created_at=created_at,
            severity=severity,
            state=state,
            sla_due_at=sla_due_at,
            first_contact_at=first_contact_at,
            closed_at=closed_at,
            outcome=outcome,
            incident_number=(earlier or 0) + 1,
            remedies=tuple(remedies.get(pk, ())),
            decisions=tuple(decisions.get(pk, ())),
            followups=tuple(followups.get(pk, ())),
            corrective_done=pk in corrected,
            actions=tuple(actions.get(pk, ())),
            rating=rating,
            will_return=will_return,
            loss=order_value + hidden_costs,
        )
        yield (local_day(created_at), location_id, category, severity), assignee_id, record


def _decisions(logged: Logged) -> dict[int, list[Decision]]:
    """By case: each proposal granted after a decision, and each rejection by a manager (turnaround
    counts rejections too: a manager's answer either way). Two queries."""
    decisions: defaultdict[int, list[Decision]] = defaultdict(list)
    granted = Proposal.objects.filter(**logged, decided_at__isnull=False, state__in=GRANTED).order_by()
    for case_id, proposed_at, decided_at, decided_by in cast(
        Iterable[tuple[int, datetime, datetime, int | None]],  # decided_at: filtered on above
        granted.values_list("case_id", "proposed_at", "decided_at", "decided_by_id"),
    ):
        decisions[case_id].append((proposed_at, decided_at, decided_by is not None))
    rejected = Proposal.objects.filter(
        **logged, state=Proposal.State.REJECTED.value, decided_by__isnull=False
    ).order_by()
    for case_id, proposed_at, decided_at in cast(
        Iterable[tuple[int, datetime, datetime]],  # a rejection is a decision: it has its time
        rejected.values_list("case_id", "proposed_at", "decided_at"),
    ):
        decisions[case_id].append((proposed_at, decided_at, True))
    return decisions


def _remedies(start: datetime, end: datetime) -> dict[int, list[facts.Remedy]]:
    """By case: the remedies of its granted proposals. One query."""
    remedies: defaultdict[int, list[facts.Remedy]] = defaultdict(list)
    for case_id, kind, face, cost, delivered_at in (
        ProposalLine.objects.filter(
            proposal__case__created_at__gte=start, proposal__case__created_at__lt=end, proposal__state__in=GRANTED
        )
        .order_by()
        .values_list("proposal__case_id", "kind", "face_value", "cost", "delivered_at")
    ):
        remedies[case_id].append(facts.Remedy(kind, face, cost, delivered_at is not None))
    return remedies


def _followups(logged: Logged) -> dict[int, list[facts.FollowUpRecord]]:
    """By case: its follow-ups that came to an end (sent, done or failed). One query."""
    followups: defaultdict[int, list[facts.FollowUpRecord]] = defaultdict(list)
    for case_id, purpose, state, due_at, sent_at, done_at in (
        FollowUp.objects.filter(**logged, state__in=OUTCOME_STATES)
        .order_by()
        .values_list("case_id", "purpose", "state", "due_at", "sent_at", "done_at")
    ):
        followups[case_id].append(facts.FollowUpRecord(purpose, state, due_at, sent_at, done_at))
    return followups


def _answers(logged: Logged) -> dict[int, tuple[int | None, str]]:
    """By case: the customer's rating and whether they will return. One query."""
    return {
        case_id: (rating, will_return)
        for case_id, rating, will_return in SatisfactionResponse.objects.filter(**logged).values_list(
            "case_id", "rating", "will_return"
        )
    }


def _actions(logged: Logged) -> tuple[dict[int, list[int]], set[int]]:
    """By case: the corrective actions it is linked to; and the cases with one done. One query."""
    actions: defaultdict[int, list[int]] = defaultdict(list)
    corrected: set[int] = set()
    for case_id, action_id, action_state in CorrectiveActionCase.objects.filter(**logged).values_list(
        "case_id", "action_id", "action__state"
    ):
        actions[case_id].append(action_id)
        if action_state == ActionState.DONE.value:
            corrected.add(case_id)
    return actions, corrected


def _day_rows(first: date, last: date):
    """The day rows of every roll-up for these days, made from the cases."""
    by_key: dict[tuple, Counter] = defaultdict(Counter)
    by_kind: dict[tuple, Counter] = defaultdict(Counter)
    by_staff: dict[tuple, Counter] = defaultdict(Counter)
    by_action: dict[tuple, Counter] = defaultdict(Counter)
    by_outcome: dict[tuple, Counter] = defaultdict(Counter)
    # Counter.update adds in place (`+=` would scan the whole counter for zeros each time).
    for key, assignee_id, record in case_records(first, last):
        counts = facts.case_counts(record)
        by_key[key].update(counts)
        for kind, kind_counts in facts.remedy_counts(record).items():
            by_kind[(*key, kind)].update(kind_counts)
        if assignee_id is not None:
            by_staff[(*key, assignee_id)].update(facts.staff_counts(counts))
        for action_id in record.actions:
            by_action[(*key, action_id)]["cases"] += 1
        for given, outcome_counts in _outcome_counts(record).items():
            by_outcome[(*key, *given)].update(outcome_counts)
    return [
        [
            model(grain=Grain.DAY, **dict(zip(("day", *KEY, *extra), key, strict=True)), **counts)
            for key, counts in table.items()
        ]
        for (model, _, extra), table in zip(ROLLUPS, (by_key, by_kind, by_staff, by_action, by_outcome), strict=True)
    ]


def _outcome_counts(record: facts.CaseRecord) -> dict[tuple[str, str], Counter]:
    contact = record.first_contact_at
    return outcomes.case_outcome_counts(
        lines=[(remedy.kind, remedy.face_value) for remedy in record.remedies],
        loss=record.loss,
        contact_seconds=None if contact is None else (contact - record.created_at).total_seconds(),
        closed=record.state == "closed" and record.closed_at is not None,
        outcome=record.outcome,
        rating=record.rating,
    )


def _write_days(first: date, last: date) -> None:
    made = _day_rows(first, last)
    for (model, _, _), rows in zip(ROLLUPS, made, strict=True):
        model.objects.filter(grain=Grain.DAY, day__gte=first, day__lte=last).delete()
        model.objects.bulk_create(rows, batch_size=1000)


def _write_months(months: Iterable[date]) -> None:
    """Each month's rows: the sums of its day rows."""
    for month in sorted(set(months)):
        days = {"grain": Grain.DAY, "day__gte": month, "day__lt": next_month(month)}
        for model, fields, extra in ROLLUPS:
            model.objects.filter(grain=Grain.MONTH, day=month).delete()
            sums = model.objects.filter(**days).values(*KEY, *extra).annotate(**{name: Sum(name) for name in fields})
            model.objects.bulk_create(
                [model(grain=Grain.MONTH, day=month, **row) for row in sums.order_by()], batch_size=1000
            )


def rollups_recompute(days: Iterable[date]) -> int:
    """Recompute these days and their months. Returns how many days."""
    runs = runs_of(days)
    for first, last in runs:
        _write_days(first, last)
    months = {first_of_month(first + timedelta(days=n)) for first, last in runs for n in range((last - first).days + 1)}
    _write_months(months)
    return sum((last - first).days + 1 for first, last in runs)


def _locked_state() -> RollupState:
    """The one state row, locked (a migration makes it; a flushed test database has none)."""
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def _every_day_with_cases() -> list[date]:
    bounds = Case.objects.aggregate(first=Min("created_at"), last=Max("created_at"))
    if bounds["first"] is None:
        return []
    first, last = local_day(bounds["first"]), local_day(bounds["last"])
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@transaction.atomic
def rollups_rebuild(*, now: datetime | None = None) -> int:
    """Every roll-up row from scratch. Returns how many days."""
    now = now or timezone.now()
    state = _locked_state()
    for model, _, _ in ROLLUPS:
        model.objects.all().delete()
    days = _every_day_with_cases()
    # A month at a time: what a run reads stays a month's worth of cases.
    month_runs = defaultdict(list)
    for day in days:
        month_runs[first_of_month(day)].append(day)
    for month_days in month_runs.values():
        _write_days(month_days[0], month_days[-1])
    _write_months(month_runs)
    state.scanned_to = state.rebuilt_at = now
    state.save(update_fields=["scanned_to", "rebuilt_at"])
    return len(days)


def rollups_refresh(*, now: datetime | None = None) -> int:
    """Recompute the days whose cases changed since the last look (everything, the first
    time). Returns how many days. Two at once queue on the state row."""
    now = now or timezone.now()
    with transaction.atomic():
        state = _locked_state()
        if state.scanned_to is None:
            return rollups_rebuild(now=now)
        logged = (
            Case.objects.filter(events__created_at__gte=state.scanned_to - OVERLAP)
            .order_by()
            .values_list("created_at", flat=True)
            .distinct()
        )
        count = rollups_recompute({local_day(moment) for moment in logged})
        state.scanned_to = now
        state.save(update_fields=["scanned_to"])
    return count
