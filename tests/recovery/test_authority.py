"""Authority that cannot be walked around: corrections bounded by the overcharge, limits and the
case cap weighed per case, and an owner's word on money past the budget."""

import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.exceptions import ApplicationError
from recovery import services
from recovery.authority import ABOVE_OVERCHARGE, NO_OVERCHARGE, OVERCHARGE_BELOW_CORRECTIONS
from recovery.models import LedgerEntry, Proposal
from recovery.policy import RemedyKind
from recovery.selectors import budget_used
from tests.conftest import signed_in
from tests.factories import CaseFactory, staff
from tests.recovery.test_views import edit_data

K = RemedyKind


def propose(case, actor, *lines, reason="The customer asked for this"):
    return services.proposal_create(
        case=case,
        actor=actor,
        title="Edited",
        submission_token=uuid.uuid4(),
        lines=[services.LineInput(kind, Decimal(amount)) for kind, amount in lines],
        below_floor_reason=reason,
    )[0]


@pytest.fixture
def big_case(soho, frontline):
    # A spoiled 400 order: the cap is 600, so only authority stands between staff and a large sum.
    return CaseFactory(
        location=soho,
        created_by=frontline,
        category="delay",
        order_value=Decimal("400"),
        lost="all",
        severity="major",
        suggested_severity="major",
        customer__yearly_value=Decimal("5000"),
    )


def test_a_correction_needs_an_overcharge_on_the_case(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("10"))
    with pytest.raises(ApplicationError) as refused:
        propose(case, frontline, (K.CORRECTION, "1900"))
    assert refused.value.message == NO_OVERCHARGE
    assert not Proposal.objects.exists() and not LedgerEntry.objects.exists()


def test_the_edit_form_refuses_a_correction_with_no_overcharge_and_keeps_what_was_typed(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("10"))
    data = edit_data(**{"form-0-kind": "correction", "form-0-face_value": "1900"}, below_floor_reason="asked")
    response = signed_in(frontline).post(reverse("recovery:propose", args=[case.pk]), data)
    assert response.status_code == 400
    assert NO_OVERCHARGE.split(":")[0] in response.content.decode()
    assert response.context["lines"].forms[0]["face_value"].value() == "1900"
    assert not Proposal.objects.exists() and not LedgerEntry.objects.exists()


def test_corrections_cannot_give_back_more_than_was_overcharged_in_all(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="billing_error", overcharge=Decimal("30"))
    first = propose(case, frontline, (K.CORRECTION, "20"), (K.PARTIAL_REFUND, "5"))
    assert first.state == Proposal.State.APPROVED
    with pytest.raises(ApplicationError) as refused:
        propose(case, frontline, (K.CORRECTION, "15"))
    assert refused.value.message == ABOVE_OVERCHARGE.format(asked="£15.00", overcharge="£30.00", left="£10.00")
    assert Proposal.objects.count() == 1


def test_a_correction_above_the_askers_limit_needs_a_manager_and_stays_apart_from_compensation(
    soho, frontline, manager
):
    case = CaseFactory(
        location=soho, created_by=frontline, category="billing_error", overcharge=Decimal("89.50"), severity="minor"
    )
    proposal = propose(case, frontline, (K.CORRECTION, "89.50"), (K.PARTIAL_REFUND, "5"))
    assert (proposal.state, proposal.approver_role) == ("pending", "Manager")
    assert proposal.approval_reason == f"£94.50 is above {frontline}'s limit of £50.00"
    assert proposal.compensation == Decimal("5.00")
    services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
    correction = LedgerEntry.objects.get(kind="correction")
    assert (correction.amount, correction.is_compensation) == (Decimal("89.50"), False)
    assert budget_used(soho.pk) == Decimal("5.00")


def test_splitting_a_remedy_counts_toward_the_limit(big_case, frontline):
    first = propose(big_case, frontline, (K.PARTIAL_REFUND, "50"))
    assert first.state == Proposal.State.APPROVED
    second = propose(big_case, frontline, (K.PARTIAL_REFUND, "50"))
    assert (second.state, second.approver_role) == ("pending", "Manager")
    assert second.approval_reason == f"£100.00 on this case in all is above {frontline}'s limit of £50.00"
    assert LedgerEntry.objects.count() == 1


def test_splitting_a_remedy_counts_toward_the_case_cap(meal_case, manager):
    # The cap on a spoiled 64 meal is 96.
    propose(meal_case, manager, (K.PARTIAL_REFUND, "60"))
    with pytest.raises(ApplicationError) as refused:
        propose(meal_case, manager, (K.PARTIAL_REFUND, "60"))
    assert refused.value.message == services.TOO_LARGE_IN_ALL.format(amount="£120.00", cap="£96.00", left="£36.00")
    assert Proposal.objects.count() == 1


def test_an_approver_weighs_what_the_case_already_has(big_case, frontline, owner, soho):
    propose(big_case, owner, (K.GIFT_CARD, "80"))
    pending = propose(big_case, frontline, (K.PARTIAL_REFUND, "40"))
    assert pending.approval_reason == f"£120.00 on this case in all is above {frontline}'s limit of £50.00"
    cautious = staff(Role.MANAGER, soho, authority_limit=Decimal("100"))
    passed = services.proposal_decide(proposal=pending, actor=cautious, approve=True, expected_revision=1)
    assert (passed.state, passed.approver_role) == ("pending", "Owner")
    assert passed.approval_reason == f"£120.00 on this case in all is above {cautious}'s limit of £100.00"


def test_an_amendment_weighs_what_the_case_already_has(big_case, frontline, owner, soho):
    propose(big_case, owner, (K.GIFT_CARD, "80"))
    pending = propose(big_case, frontline, (K.PARTIAL_REFUND, "40"))
    cautious = staff(Role.MANAGER, soho, authority_limit=Decimal("100"))
    amended = services.proposal_amend(
        proposal=pending,
        actor=cautious,
        reason="A refund reads better",
        expected_revision=1,
        lines=[services.LineInput(K.FULL_REFUND, Decimal("30"))],
    )
    assert (amended.state, amended.approver_role) == ("pending", "Owner")


def test_an_amendment_cannot_correct_more_than_was_overcharged(soho, frontline, manager):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("64"))
    pending = propose(case, frontline, (K.PARTIAL_REFUND, "60"))
    with pytest.raises(ApplicationError) as refused:
        services.proposal_amend(
            proposal=pending,
            actor=manager,
            reason="Give it back",
            expected_revision=1,
            lines=[services.LineInput(K.CORRECTION, Decimal("400"))],
        )
    assert refused.value.message == NO_OVERCHARGE
    pending.refresh_from_db()
    assert pending.state == "pending" and not LedgerEntry.objects.exists()


def test_an_owner_can_approve_past_the_budget(meal_case, frontline, owner, soho):
    soho.monthly_budget = Decimal("10")
    soho.save(update_fields=["monthly_budget"])
    pending = propose(meal_case, frontline, (K.FULL_REFUND, "40"))
    assert (pending.state, pending.approver_role) == ("pending", "Owner")
    decided = services.proposal_decide(proposal=pending, actor=owner, approve=True, expected_revision=1)
    assert decided.state == "approved"


def test_an_overcharge_found_later_is_recorded_on_the_timeline_and_can_then_be_corrected(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="billing_error", severity="minor")
    response = signed_in(frontline).post(reverse("recovery:overcharge", args=[case.pk]), {"overcharge": "30"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.overcharge == Decimal("30.00")
    assert case.events.last().note == "Overcharge recorded: £30.00 (was £0.00), to be given back."
    assert propose(case, frontline, (K.CORRECTION, "30"), (K.PARTIAL_REFUND, "5")).state == "approved"


def test_an_overcharge_is_never_less_than_the_corrections_given(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="billing_error", overcharge=Decimal("30"))
    propose(case, frontline, (K.CORRECTION, "20"), (K.PARTIAL_REFUND, "5"))
    with pytest.raises(ApplicationError) as refused:
        services.case_record_overcharge(case=case, actor=frontline, amount=Decimal("10"))
    assert refused.value.message == OVERCHARGE_BELOW_CORRECTIONS.format(given="£20.00")
    case.refresh_from_db()
    assert case.overcharge == Decimal("30.00")


@pytest.mark.parametrize("amount", ["-1", "abc", ""])
def test_a_bad_overcharge_is_refused_and_nothing_changes(soho, frontline, amount):
    case = CaseFactory(location=soho, created_by=frontline, category="billing_error", overcharge=Decimal("30"))
    client = signed_in(frontline)
    response = client.post(reverse("recovery:overcharge", args=[case.pk]), {"overcharge": amount}, follow=True)
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    case.refresh_from_db()
    assert case.overcharge == Decimal("30.00") and case.events.count() == 0


def test_an_overcharge_elsewhere_cannot_be_recorded(soho, camden, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="billing_error")
    response = signed_in(staff(Role.FRONTLINE, camden)).post(
        reverse("recovery:overcharge", args=[case.pk]), {"overcharge": "900"}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.overcharge == 0


def test_a_remedy_that_is_not_money_has_no_value(meal_case, frontline):
    with pytest.raises(ApplicationError) as refused:
        propose(meal_case, frontline, (K.HANDWRITTEN_CARD, "40"))
    assert refused.value.message == services.NOT_MONEY.format(remedy="Handwritten card")
    assert not Proposal.objects.exists() and not LedgerEntry.objects.exists()
