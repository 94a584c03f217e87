"""Deciding a pending proposal, once: approve, reject, or amend and approve. Beyond the
approver's own limit it is passed up to an owner."""

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import events
from cases.events import Kind
from cases.models import Case
from cases.services import case_transition
from cases.states import State
from core.exceptions import ApplicationError, ChangedSince

from ..authority import check_location
from ..models import Proposal
from ..policy import RemedyKind, Role
from ..selectors import (
    delivery_deadline,
    money_on_case,
    policy_in_force,
    policy_role,
)
from ..suggestions import Line, compensation_of
from .lines import (
    LineInput,
    _approval_needed,
    _check_case_bounds,
    _lines,
    _record_approval,
    _save_lines,
    _summary,
)

OWN_PROPOSAL = _("You cannot decide on your own proposal: another manager or an owner must.")


ALREADY_DECIDED = _("This proposal was already {state} by {who}.")


CHANGED_SINCE = _("This proposal changed since you opened it; here it is as it stands now.")


REASON_NEEDED = _("Give a reason: the proposer and the customer's history keep it.")


NOT_AN_APPROVER = _("Only a manager or an owner can decide on proposals.")


NEEDS_OWNER = _("This proposal needs an owner's decision.")


def _locked_for_decision(proposal: Proposal, actor: User, expected_revision: int) -> Proposal:
    """The proposal, locked, after every check a decision must pass."""
    # Not `decided_by`: on PostgreSQL a row locked after waiting for another decision is read again
    # as that decision left it, but its joins are not, so the winner would be read as nobody.
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("case", "case__location", "case__customer")
        .get(pk=proposal.pk)
    )
    check_location(actor, proposal.case.location_id)
    if not actor.has_perm("recovery.decide_proposal"):
        raise ApplicationError(NOT_AN_APPROVER)
    if proposal.state != Proposal.State.PENDING:
        who = proposal.decided_by or "someone"
        raise ChangedSince(ALREADY_DECIDED.format(state=proposal.get_state_display().lower(), who=who))
    if proposal.revision != expected_revision:
        raise ChangedSince(CHANGED_SINCE)
    if proposal.proposed_by_id == actor.pk:
        raise ApplicationError(OWN_PROPOSAL)
    if proposal.approver_role == Role.OWNER.value and policy_role(actor) is not Role.OWNER:
        raise ApplicationError(NEEDS_OWNER)
    return proposal


def _pass_up_if_beyond(proposal: Proposal, actor: User, lines: list[Line], now: datetime) -> bool:
    """If these lines are beyond the approver's own authority, hand the proposal to an owner.
    The case's other granted money counts, and the corrections and cap are checked again."""
    in_force = policy_in_force()
    on_case = money_on_case(proposal.case_id, leaving_out=proposal.pk)
    _check_case_bounds(proposal.case, lines, in_force, on_case)
    needs, _, why = _approval_needed(lines, actor, proposal.case, in_force, on_case, now)
    if not needs:
        return False
    proposal.approver_role = Role.OWNER.value
    proposal.approval_reason = why
    proposal.revision += 1
    proposal.save(update_fields=["approver_role", "approval_reason", "revision"])
    events.record(
        kind=Kind.PROPOSAL_PASSED_UP,
        case=proposal.case,
        actor=actor,
        now=now,
        note=f"Passed up to an owner: {why}.",
        payload=events.ProposalPassedUp(proposal_id=proposal.pk, reason=why),
    )
    return True


def _state_before_approval(case: Case) -> State:
    """Where a rejection puts the case back: in recovery if a remedy on it is granted or
    someone had moved it there, else open. Nothing was decided that moves it on."""
    if case.proposals.filter(state__in=Proposal.GRANTED_STATES).exists():
        return State.IN_RECOVERY
    sent = (
        case.events.filter(kind=Kind.CASE_STATE_CHANGED, to_state=State.AWAITING_APPROVAL.value)
        .order_by("-created_at", "-id")
        .first()
    )
    return State.IN_RECOVERY if sent is not None and sent.from_state == State.IN_RECOVERY.value else State.OPEN


def _conclude(proposal: Proposal, actor: User, *, approve: bool, reason: str, now: datetime, verb: str) -> Proposal:
    proposal.state = Proposal.State.APPROVED if approve else Proposal.State.REJECTED
    proposal.decided_by = actor
    proposal.decided_at = now
    proposal.decision_reason = reason.strip()
    proposal.decision_policy = in_force = policy_in_force().row
    # Due by the policy that approved it, on the location's clock: the reminder and the dashboard read this.
    proposal.deliver_by = delivery_deadline(in_force, proposal.case.location_id, now) if approve else None
    proposal.revision += 1
    proposal.save(
        update_fields=[
            "state",
            "decided_by",
            "decided_at",
            "deliver_by",
            "decision_reason",
            "decision_policy",
            "revision",
        ]
    )
    if approve:
        _record_approval(proposal, now)
    note = f"{verb} {_summary(proposal)}." + (f" {reason.strip()}" if reason.strip() else "")
    to_state = State.IN_RECOVERY if approve else _state_before_approval(proposal.case)
    # The proposer hears of it from the event (followups/reactions.py): in the app at once,
    # by email after commit.
    events.record(
        kind=Kind.PROPOSAL_DECIDED,
        case=proposal.case,
        actor=actor,
        now=now,
        note=note,
        payload=events.ProposalDecided(
            proposal_id=proposal.pk,
            decision="approved" if approve else "rejected",
            proposed_by_id=proposal.proposed_by_id,
            reason=reason.strip(),
        ),
    )
    case_transition(case=proposal.case, actor=actor, to_state=to_state, now=now)
    return proposal


@transaction.atomic
def proposal_decide(
    *,
    proposal: Proposal,
    actor: User,
    approve: bool,
    reason: str = "",
    expected_revision: int,
    now: datetime | None = None,
) -> Proposal:
    """Approve or reject a pending proposal, once. The row is locked, so two managers
    deciding at the same moment give exactly one decision; the second is told who won.
    An approver whose own limit is too low passes the proposal up to an owner."""
    now = now or timezone.now()
    proposal = _locked_for_decision(proposal, actor, expected_revision)
    if not approve and not reason.strip():
        raise ApplicationError(REASON_NEEDED, field="reason")
    if approve:
        lines = [Line(RemedyKind(ln.kind), ln.face_value, ln.cost, ln.reason) for ln in proposal.lines.all()]
        if _pass_up_if_beyond(proposal, actor, lines, now):
            return proposal
    return _conclude(
        proposal, actor, approve=approve, reason=reason, now=now, verb="Approved" if approve else "Rejected"
    )


@transaction.atomic
def proposal_amend(
    *,
    proposal: Proposal,
    actor: User,
    lines: list[LineInput],
    reason: str,
    expected_revision: int,
    now: datetime | None = None,
) -> Proposal:
    """An approver changes what is offered and approves it, with a reason the proposer sees.
    The same caps apply; beyond the approver's own authority it goes to an owner, amended."""
    now = now or timezone.now()
    proposal = _locked_for_decision(proposal, actor, expected_revision)
    if not reason.strip():
        raise ApplicationError(REASON_NEEDED, field="reason")
    in_force = policy_in_force()
    chosen = _lines(lines, in_force, proposal.case)
    compensation = compensation_of(chosen)
    _check_case_bounds(proposal.case, chosen, in_force, money_on_case(proposal.case_id, leaving_out=proposal.pk))
    before = _summary(proposal)
    was = proposal.compensation
    proposal.lines.all().delete()
    _save_lines(proposal, chosen)
    proposal.compensation = compensation
    proposal.face_value = sum((ln.face_value for ln in chosen), Decimal(0))
    proposal.cost = sum((ln.cost for ln in chosen), Decimal(0))
    proposal.title = f"{proposal.title} (amended)"[:120]
    proposal.suggested_rank = None
    proposal.save(update_fields=["compensation", "face_value", "cost", "title", "suggested_rank"])
    events.record(
        kind=Kind.PROPOSAL_AMENDED,
        case=proposal.case,
        actor=actor,
        now=now,
        note=f"Amended {before} to {_summary(proposal)}.",
        payload=events.ProposalAmended(
            proposal_id=proposal.pk, before=was, after=proposal.compensation, reason=reason.strip()
        ),
    )
    if _pass_up_if_beyond(proposal, actor, chosen, now):
        return proposal
    return _conclude(proposal, actor, approve=True, reason=reason, now=now, verb="Amended and approved")
