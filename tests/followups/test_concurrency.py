"""Two dispatchers claiming at once never take the same follow-up (PostgreSQL, SKIP LOCKED)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from followups import services
from followups.models import FollowUp
from tests.cases.test_concurrency import race
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_dispatchers_claim_disjoint_rows(postgres, soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline)
    past = timezone.now() - timedelta(minutes=1)
    FollowUp.objects.bulk_create(
        [
            FollowUp(case=case, kind="customer_message", channel="email", subject=f"m{i}", due_at=past)
            for i in range(200)
        ]
    )
    results, errors = race(lambda: services.followup_claim_due(batch=150))
    assert errors == []
    first, second = results
    assert not set(first) & set(second)
    assert len(first) + len(second) == 200
    assert set(FollowUp.objects.values_list("attempts", flat=True)) == {0}  # a claim is not a try
