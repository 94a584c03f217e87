"""Reading what similar cases say about a suggestion, from the outcome roll-up.

One query a case, whatever its options and however many cases there are: the month
rows of the last twelve months of the case's category and severity at the reader's
locations, summed by (dimension, value). The statistics are recovery/evidence.py's.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from accounts.models import User
from accounts.roles import location_ids_of
from cases.models import Case

from .evidence import WINDOW_MONTHS, Evidence, Tally, option_evidence
from .models import OutcomeRollup
from .outcomes import compensation

MONTH = "month"  # dashboard.models.Grain.MONTH


def window_start(today: date, months: int = WINDOW_MONTHS) -> date:
    """The first day of the month `months - 1` months before today's: `months` months in all,
    this one included."""
    index = today.year * 12 + today.month - 1 - (months - 1)
    return date(index // 12, index % 12 + 1, 1)


def similar_tallies(case: Case, user: User, *, today: date | None = None) -> dict[tuple[str, str], Tally]:
    """Retained and lost among the cases like this one (same category and severity, the last
    twelve months, the user's locations) by (dimension, value)."""
    rows = OutcomeRollup.objects.filter(
        grain=MONTH,
        category=case.category,
        severity=case.severity,
        day__gte=window_start(today or timezone.localdate()),
    )
    location_ids = location_ids_of(user)
    if location_ids is not None:
        rows = rows.filter(location_id__in=location_ids)
    sums = rows.order_by().values("dimension", "value").annotate(retained=Sum("retained"), lost=Sum("lost"))
    return {(row["dimension"], row["value"]): Tally(row["retained"] or 0, row["lost"] or 0) for row in sums}


def evidence_of_lines(tallies: dict, case: Case, lines: Iterable) -> Evidence:
    """The evidence for remedies `lines` (each with `kind` and `face_value`) on this case."""
    pairs = [(getattr(line.kind, "value", line.kind), line.face_value or Decimal(0)) for line in lines]
    return option_evidence(
        tallies,
        kinds=[kind for kind, _ in pairs],
        compensation=compensation(pairs),
        loss=case.order_value + case.hidden_costs,
    )


def evidence_for(case: Case, user: User, lines: Iterable) -> Evidence:
    """The evidence for one set of remedies on this case, as `user` may see it."""
    return evidence_of_lines(similar_tallies(case, user), case, lines)
