"""Two managers deciding at the same moment give exactly one decision (PostgreSQL, real transactions)."""

import uuid
from decimal import Decimal

import pytest

from accounts.roles import Role
from core.exceptions import ApplicationError
from recovery import services
from recovery.models import LedgerEntry, Proposal
from recovery.policy import RemedyKind
from tests.cases.test_concurrency import race
from tests.factories import CaseFactory, staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_managers_deciding_at_once_give_one_decision(postgres, soho, frontline):
    case = CaseFactory(
        location=soho, created_by=frontline, category="delay", order_value=Decimal("64"), experience_ruined=True
    )
    proposal, _ = services.proposal_create(
        case=case,
        actor=frontline,
        title="Refund",
        submission_token=uuid.uuid4(),
        lines=[services.LineInput(RemedyKind.FULL_REFUND, Decimal("71"))],
    )
    managers = [staff(Role.MANAGER, soho), staff(Role.MANAGER, soho)]
    decisions = iter([(managers[0], True), (managers[1], False)])
    lock = __import__("threading").Lock()

    def decide():
        with lock:
            manager, approve = next(decisions)
        return services.proposal_decide(
            proposal=Proposal(pk=proposal.pk),
            actor=manager,
            approve=approve,
            reason="not this time",
            expected_revision=1,
        )

    results, errors = race(decide)
    assert len(results) == 1 and len(errors) == 1, errors
    assert isinstance(errors[0], ApplicationError) and "already" in errors[0].message
    proposal.refresh_from_db()
    assert proposal.state == results[0].state
    assert proposal.decided_by == results[0].decided_by
    expected_ledger = 1 if proposal.state == "approved" else 0
    assert LedgerEntry.objects.count() == expected_ledger
