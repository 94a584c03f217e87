import uuid
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from accounts.roles import Role
from cases.models import Case
from cases.services import case_transition
from cases.states import DECISION_AWAITED, NOTHING_AWAITS_APPROVAL, NOTHING_DELIVERED, Outcome, State
from core.exceptions import ApplicationError
from core.models import Notification
from recovery import services
from recovery.models import LedgerEntry, Proposal
from recovery.policy import RemedyKind
from tests.factories import CaseFactory, staff


def take(case, actor, rank=1):
    option = services.suggestions_for(case, actor)[rank - 1]
    lines = [services.LineInput(ln.kind, ln.face_value, ln.reason) for ln in option.lines]
    return services.proposal_create(
        case=case,
        actor=actor,
        lines=lines,
        title=option.title,
        suggested_rank=option.rank,
        submission_token=uuid.uuid4(),
    )


def test_within_authority_a_remedy_is_approved_on_the_spot(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("20"), lost="all")
    proposal, created = take(case, frontline)
    assert created and proposal.state == Proposal.State.APPROVED and proposal.decided_by is None
    assert LedgerEntry.objects.filter(entry="approved").count() == 1
    case.refresh_from_db()
    assert case.state == "in_recovery"
    assert "Approved on the spot" in case.events.get(kind="proposal.made").note


def test_above_authority_the_case_waits_for_a_manager(meal_case, frontline):
    proposal, _ = take(meal_case, frontline)
    assert (proposal.state, proposal.approver_role) == ("pending", "Manager")
    assert proposal.compensation == Decimal("71.00")
    meal_case.refresh_from_db()
    assert meal_case.state == "awaiting_approval"
    assert not LedgerEntry.objects.exists()


def test_a_manager_approves_and_the_proposer_hears_after_commit(
    meal_case, frontline, manager, django_capture_on_commit_callbacks
):
    proposal, _ = take(meal_case, frontline)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        decided = services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
    assert decided.state == "approved" and decided.decided_by == manager
    assert len(callbacks) == 1
    assert len(mail.outbox) == 1 and "approved" in mail.outbox[0].subject
    assert Notification.objects.get(user=frontline).text.endswith(f"approved by {manager}.")
    meal_case.refresh_from_db()
    assert meal_case.state == "in_recovery"


def test_no_mail_when_the_decision_rolls_back(meal_case, frontline, manager, django_capture_on_commit_callbacks):
    proposal, _ = take(meal_case, frontline)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
        raise RuntimeError("something later in the request failed")
    assert callbacks == [] and mail.outbox == []
    proposal.refresh_from_db()
    assert proposal.state == "pending"


def test_nobody_approves_their_own_proposal(meal_case, manager):
    proposal, _ = take(meal_case, staff(Role.MANAGER, meal_case.location, authority_limit=Decimal("10")))
    with pytest.raises(ApplicationError, match="own proposal"):
        services.proposal_decide(proposal=proposal, actor=proposal.proposed_by, approve=True, expected_revision=1)


def test_the_database_refuses_self_approval_too(meal_case, frontline):
    proposal, _ = take(meal_case, frontline)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(decided_by=frontline)


def test_a_proposal_is_decided_once(meal_case, frontline, manager):
    proposal, _ = take(meal_case, frontline)
    services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
    other = staff(Role.MANAGER, meal_case.location)
    with pytest.raises(ApplicationError, match="already approved by"):
        services.proposal_decide(proposal=proposal, actor=other, approve=False, reason="no", expected_revision=2)


def test_a_decision_on_an_old_page_is_refused(meal_case, frontline, manager):
    proposal, _ = take(meal_case, frontline)
    Proposal.objects.filter(pk=proposal.pk).update(revision=2)
    with pytest.raises(ApplicationError, match="changed since you opened it"):
        services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)


def test_rejecting_needs_a_reason(meal_case, frontline, manager):
    proposal, _ = take(meal_case, frontline)
    with pytest.raises(ApplicationError, match="Give a reason"):
        services.proposal_decide(proposal=proposal, actor=manager, approve=False, expected_revision=1)


def test_an_approver_above_their_own_limit_passes_it_up_to_an_owner(meal_case, frontline, soho, owner):
    cautious = staff(Role.MANAGER, soho, authority_limit=Decimal("60"))
    proposal, _ = take(meal_case, frontline)
    passed = services.proposal_decide(proposal=proposal, actor=cautious, approve=True, expected_revision=1)
    assert (passed.state, passed.approver_role) == ("pending", "Owner")
    with pytest.raises(ApplicationError, match="owner's decision"):
        services.proposal_decide(proposal=passed, actor=staff(Role.MANAGER, soho), approve=True, expected_revision=2)
    done = services.proposal_decide(proposal=passed, actor=owner, approve=True, expected_revision=2)
    assert done.state == "approved"


def test_a_manager_elsewhere_cannot_decide(meal_case, frontline, camden):
    proposal, _ = take(meal_case, frontline)
    with pytest.raises(ApplicationError, match="location"):
        services.proposal_decide(
            proposal=proposal, actor=staff(Role.MANAGER, camden), approve=True, expected_revision=1
        )


def test_frontline_cannot_decide(meal_case, frontline, soho):
    proposal, _ = take(meal_case, frontline)
    with pytest.raises(ApplicationError, match="Only a manager"):
        services.proposal_decide(
            proposal=proposal, actor=staff(Role.FRONTLINE, soho), approve=True, expected_revision=1
        )


@pytest.mark.parametrize(
    ("amount", "message"), [("0", "more than zero"), ("-5", "more than zero"), ("5000", "above the cap")]
)
def test_bad_amounts_are_refused(meal_case, frontline, amount, message):
    with pytest.raises(ApplicationError, match=message):
        services.proposal_create(
            case=meal_case,
            actor=frontline,
            title="Edited",
            submission_token=uuid.uuid4(),
            lines=[services.LineInput(RemedyKind.PARTIAL_REFUND, Decimal(amount))],
            below_floor_reason="customer asked for less",
        )
    assert not Proposal.objects.exists()


def test_below_the_smallest_suggestion_needs_a_reason(meal_case, frontline):
    lines = [services.LineInput(RemedyKind.PARTIAL_REFUND, Decimal("20"))]
    with pytest.raises(ApplicationError, match="say why"):
        services.proposal_create(
            case=meal_case, actor=frontline, title="Edited", submission_token=uuid.uuid4(), lines=lines
        )
    proposal, _ = services.proposal_create(
        case=meal_case,
        actor=frontline,
        title="Edited",
        lines=lines,
        submission_token=uuid.uuid4(),
        below_floor_reason="She only wanted 20",
    )
    assert proposal.below_floor_reason == "She only wanted 20" and proposal.state == "approved"


def test_the_same_submit_twice_makes_one_proposal(meal_case, frontline):
    token = uuid.uuid4()
    lines = [services.LineInput(RemedyKind.FULL_REFUND, Decimal("71"))]
    first, _ = services.proposal_create(case=meal_case, actor=frontline, title="x", lines=lines, submission_token=token)
    again, created = services.proposal_create(
        case=meal_case, actor=frontline, title="x", lines=lines, submission_token=token
    )
    assert (again, created) == (first, False)


def test_one_pending_proposal_per_case(meal_case, frontline):
    take(meal_case, frontline)
    with pytest.raises(ApplicationError, match="already has a proposal"):
        take(Case.objects.get(pk=meal_case.pk), frontline)


def test_delivering_every_remedy_moves_the_case_on(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("20"), lost="all")
    proposal, _ = take(case, frontline)
    for line in proposal.lines.all():
        services.remedy_deliver(line=line, actor=frontline, reference="REF-1")
    proposal.refresh_from_db()
    case.refresh_from_db()
    assert (proposal.state, case.state) == ("delivered", "remedy_delivered")
    assert LedgerEntry.objects.filter(entry="delivered").count() == 1


def test_each_decision_records_the_policy_version(meal_case, frontline):
    from recovery.models import PolicyVersion

    proposal, _ = take(meal_case, frontline)
    assert proposal.policy == PolicyVersion.objects.latest()


def test_a_decision_records_the_policy_in_force_when_it_was_made(meal_case, frontline, manager, owner):
    from recovery.models import PolicyVersion

    proposal, _ = take(meal_case, frontline)
    newer = PolicyVersion.objects.create(catalogue=PolicyVersion.objects.latest().catalogue, note="newer")
    decided = services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
    assert (decided.policy_id, decided.decision_policy) == (PolicyVersion.objects.earliest("id").pk, newer)


def test_a_rejected_proposal_puts_the_case_back_where_it_was(meal_case, frontline, manager):
    proposal, _ = take(meal_case, frontline)
    services.proposal_decide(proposal=proposal, actor=manager, approve=False, reason="Too much", expected_revision=1)
    meal_case.refresh_from_db()
    assert meal_case.state == "open"
    assert meal_case.events.get(kind="proposal.decided").note.startswith("Rejected ")


def test_a_case_being_worked_on_goes_back_to_in_recovery_after_a_rejection(meal_case, frontline, manager):
    case_transition(case=meal_case, actor=frontline, to_state=State.IN_RECOVERY)
    proposal, _ = take(meal_case, frontline)
    services.proposal_decide(proposal=proposal, actor=manager, approve=False, reason="Too much", expected_revision=1)
    meal_case.refresh_from_db()
    assert meal_case.state == "in_recovery"


def test_a_rejection_leaves_a_case_with_something_granted_in_recovery(soho, frontline, manager):
    case = CaseFactory(
        location=soho, created_by=frontline, category="delay", order_value=Decimal("100"), severity="moderate"
    )
    granted, _ = take(case, frontline)
    case.refresh_from_db()
    case.state = "open"  # as if someone had put it back by hand before this rule
    case.save(update_fields=["state"])
    lines = [services.LineInput(RemedyKind.GIFT_CARD, Decimal("80"), "A meal on us")]
    pending, _ = services.proposal_create(
        case=case, actor=frontline, lines=lines, title="More", submission_token=uuid.uuid4()
    )
    assert (granted.state, pending.state) == ("approved", "pending")
    services.proposal_decide(proposal=pending, actor=manager, approve=False, reason="Enough", expected_revision=1)
    case.refresh_from_db()
    assert case.state == "in_recovery"


def test_nothing_delivered_no_move_to_remedy_delivered(meal_case, frontline, manager):
    proposal, _ = take(meal_case, frontline)
    services.proposal_decide(proposal=proposal, actor=manager, approve=True, expected_revision=1)
    with pytest.raises(ApplicationError, match=NOTHING_DELIVERED):
        case_transition(case=meal_case, actor=frontline, to_state=State.REMEDY_DELIVERED)
    meal_case.refresh_from_db()
    assert meal_case.state == "in_recovery"


def test_a_case_waiting_for_a_decision_cannot_be_moved_or_closed_by_hand(meal_case, frontline, manager):
    take(meal_case, frontline)
    for to_state, outcome in [(State.IN_RECOVERY, None), (State.CLOSED, Outcome.RETAINED), (State.OPEN, None)]:
        with pytest.raises(ApplicationError, match=DECISION_AWAITED):
            case_transition(case=meal_case, actor=manager, to_state=to_state, outcome=outcome)
    meal_case.refresh_from_db()
    assert meal_case.state == "awaiting_approval"


def test_only_a_proposal_puts_a_case_in_waiting_for_approval(meal_case, frontline):
    with pytest.raises(ApplicationError, match=NOTHING_AWAITS_APPROVAL):
        case_transition(case=meal_case, actor=frontline, to_state=State.AWAITING_APPROVAL)


def test_the_proposer_hears_why_it_was_rejected(meal_case, frontline, manager, django_capture_on_commit_callbacks):
    proposal, _ = take(meal_case, frontline)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            proposal=proposal, actor=manager, approve=False, reason="Too much", expected_revision=1
        )
    text = Notification.objects.get(user=frontline).text
    assert text.endswith(f"rejected by {manager}. Their reason: “Too much”")
