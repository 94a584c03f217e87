"""The cases behind a figure of the "What works" page, as conditions on cases: what
`recovery.outcomes` says in Python of one case, said here in queries (a test holds the
page's every count to the case list it links to).
"""

from datetime import timedelta

from django.db.models import DecimalField, Exists, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from recovery import outcomes
from recovery.models import Proposal, ProposalLine

# The labels are marked in recovery/outcomes.py (no Django there); translated here when shown.
GIVEN_CHOICES = [(value, _(label)) for value, label in outcomes.KIND_LABELS.items()]
AMOUNT_CHOICES = [(value, _(label)) for value, label in outcomes.AMOUNT_BANDS.items()]
CONTACT_CHOICES = [(value, _(label)) for value, label in outcomes.CONTACT_BANDS.items()]
GRANTED = Proposal.GRANTED_STATES
MONEY: DecimalField = DecimalField(max_digits=14, decimal_places=2)


def _granted(**conditions):
    return ProposalLine.objects.filter(proposal__case=OuterRef("pk"), proposal__state__in=GRANTED, **conditions)


def given_q(value: str) -> Q | Combinable:
    """Cases given remedies of this `kind` value (outcomes.kinds_given)."""
    if value == outcomes.APOLOGY_ONLY:
        return ~Exists(_granted().exclude(kind=outcomes.APOLOGY))
    kinds = sorted(outcomes.CALLS) if value == outcomes.PERSONAL_CALL else [value]
    return Exists(_granted(kind__in=kinds))


def compensation_given():
    """The compensation a case was given (the outer query's case): its granted lines but corrections."""
    lines = (
        _granted()
        .exclude(kind=outcomes.CORRECTION)
        .order_by()
        .values("proposal__case")
        .annotate(total=Sum("face_value"))
        .values("total")
    )
    return Coalesce(Subquery(lines, output_field=MONEY), Value(0, output_field=MONEY))


def with_compensation(cases):
    """The cases with the compensation they were given, in fifths (outcomes.amount_band)."""
    return cases.annotate(given_fifths=compensation_given() * 5)


def amount_q(value: str) -> Q:
    """Cases in this amount band (outcomes.amount_band); the cases need `with_compensation`."""
    if value == "none":
        return Q(given_fifths__lte=0)
    loss = F("order_value") + F("hidden_costs")
    low, high = loss * outcomes.LOW_FIFTHS, loss * outcomes.HIGH_FIFTHS
    if value == "below_60":
        return Q(given_fifths__gt=0, given_fifths__lt=low)
    if value == "60_120":
        return Q(given_fifths__gt=0, given_fifths__gte=low, given_fifths__lte=high)
    return Q(given_fifths__gt=0) & Q(given_fifths__gt=high)


def contact_q(value: str) -> Q:
    """Cases first contacted in this band (outcomes.contact_band)."""
    if value == "none":
        return Q(first_contact_at__isnull=True)
    hour = F("created_at") + timedelta(seconds=outcomes.HOUR)
    day = F("created_at") + timedelta(seconds=outcomes.DAY)
    if value == "within_1h":
        return Q(first_contact_at__lte=hour)
    if value == "within_day":
        return Q(first_contact_at__gt=hour, first_contact_at__lte=day)
    return Q(first_contact_at__gt=day)
