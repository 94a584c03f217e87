"""Who may do what on the recovery side: role x action x location."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from recovery import services
from recovery.models import Proposal
from recovery.policy import RemedyKind
from tests.conftest import signed_in
from tests.factories import CaseFactory, staff

ROLES = [Role.FRONTLINE, Role.MANAGER, Role.OWNER]


@pytest.fixture
def pending(soho):
    proposer = staff(Role.FRONTLINE, soho)
    case = CaseFactory(location=soho, created_by=proposer, category="delay", order_value=Decimal("64"), lost="all")
    proposal, _ = services.proposal_create(
        case=case,
        actor=proposer,
        title="Refund",
        submission_token=uuid.uuid4(),
        lines=[services.LineInput(RemedyKind.FULL_REFUND, Decimal("71"))],
    )
    return proposal


def expected(role, where, *, managers_may=True, frontline_may=False):
    if role is Role.OWNER:
        return True
    if where == "other":
        return "404"
    return managers_may if role is Role.MANAGER else frontline_may


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
def test_deciding(pending, soho, camden, role, where):
    user = staff(role, soho if where == "own" else camden)
    response = signed_in(user).post(pending.get_absolute_url(), {"decision": "approve", "revision": 1})
    pending.refresh_from_db()
    outcome = expected(role, where)
    if outcome == "404":
        assert response.status_code == 404
    assert (pending.state == "approved") is (outcome is True)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
def test_seeing_the_queue(pending, soho, camden, role, where):
    user = staff(role, soho if where == "own" else camden)
    response = signed_in(user).get(reverse("recovery:queue"))
    if role is Role.FRONTLINE:
        assert response.status_code == 403
    else:
        assert (pending in response.context["page"].object_list) is (role is Role.OWNER or where == "own")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("where", ["own", "other"])
def test_taking_a_suggestion(soho, camden, role, where):
    case = CaseFactory(location=soho, category="delay", order_value=Decimal("20"), lost="all")
    user = staff(role, soho if where == "own" else camden)
    response = signed_in(user).post(
        reverse("recovery:take", args=[case.pk]), {"rank": 1, "submission_token": str(uuid.uuid4())}
    )
    allowed = role is Role.OWNER or where == "own"
    assert response.status_code == (302 if allowed else 404)
    assert Proposal.objects.filter(case=case).exists() is allowed


@pytest.mark.parametrize(("role", "status"), [(Role.FRONTLINE, 403), (Role.MANAGER, 200), (Role.OWNER, 200)])
def test_the_budget_page(soho, role, status):
    assert signed_in(staff(role, soho)).get(reverse("recovery:budget")).status_code == status


@pytest.mark.parametrize(("role", "status"), [(Role.FRONTLINE, 403), (Role.MANAGER, 403), (Role.OWNER, 400)])
def test_publishing_a_policy(soho, role, status):
    # An owner's empty post is refused as bad input (400); everyone else may not post at all.
    assert signed_in(staff(role, soho)).post(reverse("recovery:policy"), {}).status_code == status
