"""The cases behind each figure, as conditions on cases: a figure's number and the
list it clicks through to are the same cases (a test holds every one to its figure).

Each condition says in queries what `dashboard.facts.case_counts` says in Python.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import Combinable
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from cases.selectors import ACTIVE_VALUES
from corrective.models import CorrectiveActionCase
from corrective.states import ActionState
from followups.models import FollowUp
from recovery.models import Proposal, ProposalLine
from recovery.outcomes import SATISFIED_FROM

from .facts import APOLOGY, BUCKET_EDGES, BUCKETS, NOT_COMPENSATION, RATINGS, SERIOUS
from .figures import bucket_range_label

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

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
    label: "StrOrPromise"  # lazy: the case list names the figure in the language of the page
    condition: Callable[[datetime], Q | Combinable]  # a Q, an Exists, or either negated or combined


CASE_SETS: dict[str, CaseSet] = {
    "repeat": CaseSet(
        _("Repeat incidents"),
        lambda now: Exists(Case.objects.filter(customer=OuterRef("customer"), created_at__lt=OuterRef("created_at"))),
    ),
    "contacted": CaseSet(_("Contacted"), lambda now: Q(first_contact_at__isnull=False)),
    "sla_kept": CaseSet(_("First contact in time"), lambda now: Q(first_contact_at__lte=F("sla_due_at"))),
    "sla_missed": CaseSet(
        _("First contact late or missing"),
        lambda now: Q(first_contact_at__gt=F("sla_due_at")) | (Q(first_contact_at__isnull=True) & ~_still_in_time(now)),
    ),
    "still_in_time": CaseSet(_("Not contacted yet, still in time"), _still_in_time),
    "resolved": CaseSet(_("Resolved (closed)"), lambda now: _closed()),
    "granted": CaseSet(_("Given a remedy beyond an apology"), lambda now: _granted_beyond_apology()),
    "on_the_spot": CaseSet(
        _("Remedy approved on the spot"),
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
        _("Decided by a manager or owner"),
        lambda now: Exists(
            Proposal.objects.filter(
                case=OuterRef("pk"),
                decided_by__isnull=False,
                decided_at__isnull=False,
                state__in=[*GRANTED, Proposal.State.REJECTED.value],
            )
        ),
    ),
    "remedy_delivered": CaseSet(_("Remedy delivered"), lambda now: _remedy_delivered()),
    "told_remedy": CaseSet(_("Told what was done"), lambda now: _remedy_delivered() & _sent("remedy_message")),
    "not_told_remedy": CaseSet(
        _("Remedy delivered, customer not told"), lambda now: _remedy_delivered() & ~_sent("remedy_message")
    ),
    "corrective_done": CaseSet(_("Cause fixed"), lambda now: _corrective_done()),
    "not_told_corrective": CaseSet(
        _("Cause fixed, customer not told"), lambda now: _corrective_done() & ~_sent("corrective_message")
    ),
    "followups_failed": CaseSet(
        _("A message or reminder could not be sent"),
        lambda now: Exists(FollowUp.objects.filter(case=OuterRef("pk"), state="failed")),
    ),
    "callbacks_kept": CaseSet(
        _("Callback made as promised"),
        lambda now: (
            Exists(FollowUp.objects.filter(case=OuterRef("pk"), purpose="callback_reminder", state="done")) & ~_missed()
        ),
    ),
    "callbacks_missed": CaseSet(_("Promised callback missed"), lambda now: _missed()),
    "apology_only": CaseSet(
        _("Closed with an apology only"),
        lambda now: _closed() & Q(severity__in=sorted(SERIOUS)) & ~_granted_beyond_apology(),
    ),
    "retained": CaseSet(_("Closed: customer retained"), lambda now: _closed() & Q(outcome="retained")),
    "lost": CaseSet(_("Closed: customer lost"), lambda now: _closed() & Q(outcome="lost")),
    "unknown": CaseSet(_("Closed: outcome unknown"), lambda now: _closed() & Q(outcome="unknown")),
    "outcome_known": CaseSet(
        _("Closed: customer retained or lost"), lambda now: _closed() & Q(outcome__in=["retained", "lost"])
    ),
    "answered": CaseSet(_("The customer answered"), lambda now: Q(satisfaction__isnull=False)),
    "unhappy": CaseSet(_("The customer was unhappy (1–2 of 5)"), lambda now: Q(satisfaction__rating__lte=2)),
    "satisfied": CaseSet(
        format_lazy(_("The customer was satisfied ({low}–5 of 5)"), low=SATISFIED_FROM),
        lambda now: Q(satisfaction__rating__gte=SATISFIED_FROM),
    ),
    "will_not_return": CaseSet(_("The customer will not come back"), lambda now: Q(satisfaction__will_return="no")),
    "recovered": CaseSet(_("Remedy beyond an apology delivered"), lambda now: _delivered_beyond_apology()),
    "undelivered": CaseSet(_("Remedy approved, not delivered"), lambda now: _undelivered(now)),
    "undelivered_overdue": CaseSet(
        _("Remedy approved, not delivered in time"), lambda now: _undelivered(now, late=True)
    ),
}


def _rated(rating: int) -> Callable[[datetime], Q]:
    return lambda now: Q(satisfaction__rating=rating)


for _rating in RATINGS:
    CASE_SETS[f"rating_{_rating}"] = CaseSet(
        format_lazy(_("The customer rated it {rating} of 5"), rating=_rating), _rated(_rating)
    )


_range_lazy = lazy(bucket_range_label, str)  # the bucket's range in the language of the page


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
        format_lazy(_("First contact {range} after logging"), range=_range_lazy(_index, gettext)), _contacted_in(_index)
    )
CASE_SET_CHOICES = [(name, case_set.label) for name, case_set in CASE_SETS.items()]


def case_set_q(name: str, now: datetime) -> Q | Combinable:
    return CASE_SETS[name].condition(now)
