"""The seeds' outcomes follow what was given and how fast (the synthetic model, _outcome_model.py)."""

import io
from collections import Counter
from datetime import timedelta
from decimal import Decimal

from django.core.management import call_command

from cases.models import Case
from cases.states import State
from portal.models import SatisfactionResponse

SERIOUS = ("moderate", "major", "critical")
FAST = timedelta(hours=1)


def kind_of_recovery(case) -> str | None:
    """ "proportionate and fast": money's worth 60-150% of the loss, first contact within the hour;
    "apology only": moderate or worse, nothing beyond an apology reached the customer."""
    delivered = [ln for p in case.proposals.all() for ln in p.lines.all() if ln.delivered_at is not None]
    given = sum((ln.face_value for ln in delivered), Decimal(0))
    loss = case.order_value + case.hidden_costs
    if case.severity in SERIOUS and all(ln.kind == "apology" for ln in delivered):
        return "apology only"
    fast = case.first_contact_at is not None and case.first_contact_at - case.created_at <= FAST
    if fast and loss > 0 and Decimal("0.6") * loss <= given <= Decimal("1.5") * loss:
        return "proportionate and fast"
    return None


def retention_and_ratings(cases, answers) -> dict[str, tuple[float, int, float, int]]:
    """By kind of recovery: the share retained among known outcomes and how many were known;
    the mean rating of the satisfaction answers and how many answered."""
    outcomes, ratings = Counter(), {}
    for case in cases:
        if (kind := kind_of_recovery(case)) and case.outcome != "unknown":
            outcomes[kind, case.outcome] += 1
    for answer in answers:
        ratings.setdefault(kind_of_recovery(answer.case), []).append(answer.rating)
    found = {}
    for kind in ("proportionate and fast", "apology only"):
        known = outcomes[kind, "retained"] + outcomes[kind, "lost"]
        rated = ratings.get(kind, [])
        found[kind] = (outcomes[kind, "retained"] / max(known, 1), known, sum(rated) / max(len(rated), 1), len(rated))
    return found


def test_seed_bench_keeps_and_pleases_more_customers_given_a_proportionate_remedy_fast(db):
    # 2,000 cases make about 380 known outcomes of the first kind and 100 of the second.
    call_command("seed_bench", cases=2000, stdout=io.StringIO(), stderr=io.StringIO())
    closed = Case.objects.filter(state=State.CLOSED.value).prefetch_related("proposals__lines")
    answers = SatisfactionResponse.objects.select_related("case").prefetch_related("case__proposals__lines")
    found = retention_and_ratings(closed, answers)
    kept, known, rating, rated = found["proportionate and fast"]
    kept_apology, known_apology, rating_apology, rated_apology = found["apology only"]
    assert known >= 100 and known_apology >= 50 and rated >= 50 and rated_apology >= 15, found
    # The model gives about 90% against 60%, and a rating one point higher: far beyond the noise.
    assert kept - kept_apology >= 0.15, found
    assert rating - rating_apology >= 0.5, found
