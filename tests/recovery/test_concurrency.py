"""Decisions and approvals at the same moment (PostgreSQL, real transactions): two managers give
exactly one decision, and simultaneous approvals never spend past the month's budget."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from accounts.roles import Role
from core.exceptions import ApplicationError
from recovery import replays, services
from recovery.models import LedgerEntry, PolicyReplay, PolicyVersion, Proposal
from recovery.policy import RemedyKind
from recovery.selectors import budget_used
from recovery.services import replays as replay_services
from tests.cases.test_concurrency import race
from tests.conftest import signed_in
from tests.factories import CaseFactory, staff
from tests.recovery.test_views import edit_data

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_managers_deciding_at_once_give_one_decision(postgres, soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("64"), lost="all")
    proposal, _ = services.proposal_create(
        case=case,
        actor=frontline,
        title="Refund",
        submission_token=uuid.uuid4(),
        lines=[services.LineInput(RemedyKind.FULL_REFUND, Decimal("71"))],
    )
    managers = [staff(Role.MANAGER, soho), staff(Role.MANAGER, soho)]
    decisions = iter([(managers[0], True), (managers[1], False)])
    lock = threading.Lock()

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


def test_simultaneous_proposals_never_spend_past_the_months_budget(postgres, soho, frontline):
    # £100 left this month; six members of staff each offer £45 on their own case at the same moment,
    # each within their limit: two fit, the other four must wait for an owner.
    soho.monthly_budget = Decimal("100")
    soho.save(update_fields=["monthly_budget"])
    cases = [
        CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("64"), lost="all")
        for _ in range(6)
    ]
    posts = iter([(signed_in(staff(Role.FRONTLINE, soho)), case) for case in cases])
    lock = threading.Lock()

    def post():
        with lock:
            client, case = next(posts)
        data = edit_data(**{"form-0-face_value": "45"}, below_floor_reason="She asked for less")
        return client.post(reverse("recovery:propose", args=[case.pk]), data).status_code

    results, errors = race(post, count=6)
    assert errors == [] and results == [302] * 6
    states = sorted(Proposal.objects.values_list("state", "approver_role"))
    assert states == [("approved", "")] * 2 + [("pending", "Owner")] * 4
    assert budget_used(soho.pk) == Decimal("90.00")
    assert LedgerEntry.objects.aggregate(total=Sum("cost"))["total"] == Decimal("90.00")


def test_simultaneous_approvals_never_spend_past_the_months_budget(postgres, soho, frontline):
    soho.monthly_budget = Decimal("100")
    soho.save(update_fields=["monthly_budget"])
    pending = []
    for _ in range(6):
        case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("64"), lost="all")
        pending.append(
            services.proposal_create(
                case=case,
                actor=frontline,
                title="Refund",
                submission_token=uuid.uuid4(),
                lines=[services.LineInput(RemedyKind.PARTIAL_REFUND, Decimal("60"))],
                below_floor_reason="She asked for less",
            )[0]
        )
    posts = iter([(signed_in(staff(Role.MANAGER, soho)), proposal) for proposal in pending])
    lock = threading.Lock()

    def approve():
        with lock:
            client, proposal = next(posts)
        return client.post(proposal.get_absolute_url(), {"decision": "approve", "revision": 1}).status_code

    results, errors = race(approve, count=6)
    assert errors == [] and results == [302] * 6
    states = sorted(Proposal.objects.values_list("state", "approver_role"))
    assert states == [("approved", "Manager")] + [("pending", "Owner")] * 5
    assert budget_used(soho.pk) == Decimal("60.00")


def test_simultaneous_parts_of_one_remedy_weigh_as_one(postgres, soho, frontline):
    # Six £50 parts on one case at once: the first within the limit, the next waits for a manager
    # (£100 on the case), and while it waits nothing more can be offered.
    case = CaseFactory(
        location=soho,
        created_by=frontline,
        category="delay",
        order_value=Decimal("400"),
        lost="all",
        customer__yearly_value=Decimal("5000"),
    )
    clients = iter([signed_in(staff(Role.FRONTLINE, soho)) for _ in range(6)])
    lock = threading.Lock()

    def post():
        with lock:
            client = next(clients)
        data = edit_data(**{"form-0-face_value": "50"}, below_floor_reason="She asked for less")
        return client.post(reverse("recovery:propose", args=[case.pk]), data).status_code

    results, errors = race(post, count=6)
    assert errors == [] and sorted(results) == [302, 302, 400, 400, 400, 400]
    states = sorted(Proposal.objects.values_list("state", "approver_role"))
    assert states == [("approved", ""), ("pending", "Manager")]
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == Decimal("50.00")


def test_publishing_a_previewed_draft_twice_at_once_makes_one_version(postgres, owner):
    replay = replay_services.policy_replay_request(actor=owner, values={"note": "twice"}, catalogue={})
    replays.policy_replay_run(replay_id=replay.pk)
    results, errors = race(lambda: replay_services.policy_replay_publish(actor=owner, replay_id=replay.pk))
    assert not errors and len(results) == 2
    assert results[0].pk == results[1].pk
    assert PolicyVersion.objects.count() == 2
    assert PolicyReplay.objects.get().published_id == results[0].pk
