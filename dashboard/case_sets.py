"""The cases behind each figure, as conditions on cases: a figure's number and the
list it clicks through to are the same cases (a test holds every one to its figure).

Each condition says in queries what `dashboard.facts.case_counts` says in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable

from cases.models import Case
from cases.selectors import ACTIVE_VALUES
from corrective.models import CorrectiveActionCase
from corrective.states import ActionState
from followups.models import FollowUp
from recovery.models import Proposal, ProposalLine
from recovery.outcomes import SATISFIED_FROM

from .facts import APOLOGY, BUCKET_EDGES, BUCKETS, NOT_COMPENSATION, RATINGS, SERIOUS
from .figures import bucket_range_label

GRANTED = Proposal.GRANTED_STATES


def _lines(**conditions) -> QuerySet[ProposalLine]:
    """The case's remedies that meet these conditions (the case is the outer query's)."""
    return ProposalLine.objects.filter(proposal__case=OuterRef("pk"), **conditions)


def _beyond_apology(lines: QuerySet[ProposalLine]) -> Exists:
    return Exists(lines.exclude(kind__in=[APOLOGY, *NOT_COMPENSATION]))


def _granted_beyond_apology() -> Exists:
    return _beyond_apology(_lines(proposal__state__in=GRANTED))


def _delivered_beyond_apology() -> Exists:
    return _beyond_apology(_lines(proposal__state__in=GRANTED, delivered_at__isnull=False))


def _sent(purpose: str) -> Exists:
    return Exists(FollowUp.objects.filter(case=OuterRef("pk"), purpose=purpose, sent_at__isnull=False))


def _closed() -> Q:
    return Q(state="closed", closed_at__isnull=False)


def _still_in_time(now: datetime) -> Q:
    return Q(first_contact_at__isnull=True, state__in=ACTIVE_VALUES, sla_due_at__gt=now)


def _remedy_delivered() -> Exists:
    return Exists(_lines(proposal__state__in=GRANTED, delivered_at__isnull=False))


def _corrective_done() -> Exists:
    return Exists(CorrectiveActionCase.objects.filter(case=OuterRef("pk"), action__state=ActionState.DONE.value))


def _missed() -> Exists:
    return _sent("callback_escalation")


def _undelivered(now: datetime, late: bool = False) -> Exists:
    lines = _lines(proposal__state=Proposal.State.APPROVED.value, delivered_at__isnull=True)
    if late:  # past the deadline the approval set (the reminder's)
        lines = lines.filter(proposal__deliver_by__lt=now)
    return Exists(lines)


@dataclass(frozen=True)
class CaseSet:
    label: str
    condition: Callable[[datetime], Q | Combinable]  # a Q, an Exists, or either negated or combined


CASE_SETS: dict[str, CaseSet] = {
    "repeat": CaseSet(
        "Repeat incidents",
        lambda now: Exists(Case.objects.filter(customer=OuterRef("customer"), created_at__lt=OuterRef("created_at"))),
    ),
    "contacted": CaseSet("Contacted", lambda now: Q(first_contact_at__isnull=False)),
    "sla_kept": CaseSet("First contact in time", lambda now: Q(first_contact_at__lte=F("sla_due_at"))),
    "sla_missed": CaseSet(
        "First contact late or missing",
        lambda now: Q(first_contact_at__gt=F("sla_due_at")) | (Q(first_contact_at__isnull=True) & ~_still_in_time(now)),
    ),
    "still_in_time": CaseSet("Not contacted yet, still in time", _still_in_time),
    "resolved": CaseSet("Resolved (closed)", lambda now: _closed()),
    "granted": CaseSet("Given a remedy beyond an apology", lambda now: _granted_beyond_apology()),
    "on_the_spot": CaseSet(
        "Remedy approved on the spot",
        lambda now: (
            _granted_beyond_apology()
            & Exists(
                Proposal.objects.filter(
                    case=OuterRef("pk"), state__in=GRANTED, decided_at__isnull=False, decided_by__isnull=True
                )
            )
        ),
    ),
    "decided": CaseSet(
        "Decided by a manager or owner",
        lambda now: Exists(
            Proposal.objects.filter(
                case=OuterRef("pk"),
                decided_by__isnull=False,
                decided_at__isnull=False,
                state__in=[*GRANTED, Proposal.State.REJECTED.value],
            )
        ),
    ),
    "remedy_delivered": CaseSet("Remedy delivered", lambda now: _remedy_delivered()),
    "told_remedy": CaseSet("Told what was done", lambda now: _remedy_delivered() & _sent("remedy_message")),
    "not_told_remedy": CaseSet(
        "Remedy delivered, customer not told", lambda now: _remedy_delivered() & ~_sent("remedy_message")
    ),
    "corrective_done": CaseSet("Cause fixed", lambda now: _corrective_done()),
    "not_told_corrective": CaseSet(
        "Cause fixed, customer not told", lambda now: _corrective_done() & ~_sent("corrective_message")
    ),
    "followups_failed": CaseSet(
        "A message or reminder could not be sent",
        lambda now: Exists(FollowUp.objects.filter(case=OuterRef("pk"), state="failed")),
    ),
    "callbacks_kept": CaseSet(
        "Callback made as promised",
        lambda now: (
            Exists(FollowUp.objects.filter(case=OuterRef("pk"), purpose="callback_reminder", state="done")) & ~_missed()
        ),
    ),
    "callbacks_missed": CaseSet("Promised callback missed", lambda now: _missed()),
    "apology_only": CaseSet(
        "Closed with an apology only",
        lambda now: _closed() & Q(severity__in=sorted(SERIOUS)) & ~_granted_beyond_apology(),
    ),
    "retained": CaseSet("Closed: customer retained", lambda now: _closed() & Q(outcome="retained")),
    "lost": CaseSet("Closed: customer lost", lambda now: _closed() & Q(outcome="lost")),
    "unknown": CaseSet("Closed: outcome unknown", lambda now: _closed() & Q(outcome="unknown")),
    "outcome_known": CaseSet(
        "Closed: customer retained or lost", lambda now: _closed() & Q(outcome__in=["retained", "lost"])
    ),
    "answered": CaseSet("The customer answered", lambda now: Q(satisfaction__isnull=False)),
    "unhappy": CaseSet("The customer was unhappy (1–2 of 5)", lambda now: Q(satisfaction__rating__lte=2)),
    "satisfied": CaseSet(
        f"The customer was satisfied ({SATISFIED_FROM}–5 of 5)",
        lambda now: Q(satisfaction__rating__gte=SATISFIED_FROM),
    ),
    "will_not_return": CaseSet("The customer will not come back", lambda now: Q(satisfaction__will_return="no")),
    "recovered": CaseSet("Remedy beyond an apology delivered", lambda now: _delivered_beyond_apology()),
    "undelivered": CaseSet("Remedy approved, not delivered", lambda now: _undelivered(now)),
    "undelivered_overdue": CaseSet("Remedy approved, not delivered in time", lambda now: _undelivered(now, late=True)),
}


def _rated(rating: int) -> Callable[[datetime], Q]:
    return lambda now: Q(satisfaction__rating=rating)


for _rating in RATINGS:
    CASE_SETS[f"rating_{_rating}"] = CaseSet(f"The customer rated it {_rating} of 5", _rated(_rating))


def _contacted_within(index: int) -> Q:
    """First contact in duration bucket `index` (as facts.bucket_of puts it)."""
    q = Q(first_contact_at__isnull=False)
    if index > 0:
        q &= Q(first_contact_at__gt=F("created_at") + timedelta(minutes=BUCKET_EDGES[index - 1]))
    if index < len(BUCKET_EDGES):
        q &= Q(first_contact_at__lte=F("created_at") + timedelta(minutes=BUCKET_EDGES[index]))
    return q


def _contacted_in(index: int) -> Callable[[datetime], Q]:
    return lambda now: _contacted_within(index)


for _index in range(BUCKETS):
    CASE_SETS[f"contact_{_index}"] = CaseSet(
        f"First contact {bucket_range_label(_index)} after logging", _contacted_in(_index)
    )
CASE_SET_CHOICES = [(name, case_set.label) for name, case_set in CASE_SETS.items()]


def case_set_q(name: str, now: datetime) -> Q | Combinable:
    return CASE_SETS[name].condition(now)
