"""Offering remedies on a case: approved on the spot within the proposer's authority,
else sent to a manager or owner."""

import uuid
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.role import A_ROLE
from cases import events
from cases.events import Kind
from cases.models import Case
from cases.services import case_transition
from cases.states import State
from core.exceptions import ApplicationError
from core.money import format_money

from ..authority import check_location
from ..models import Proposal
from ..outcome_selectors import evidence_for
from ..policy import Role
from ..selectors import (
    delivery_deadline,
    money_on_case,
    policy_in_force,
    suggestions_for,
)
from ..suggestions import Option, compensation_of
from .lines import (
    LineInput,
    _approval_needed,
    _check_case_bounds,
    _lines,
    _record_approval,
    _save_lines,
    _summary,
)

CASE_NOT_OPEN_FOR_REMEDY = _("A remedy can only be proposed while the case is open or in recovery.")


ALREADY_PENDING = _("This case already has a proposal awaiting approval.")


BELOW_FLOOR = _("This is less than the smallest suggestion ({floor}): say why.")


SUGGESTION_GONE = _("That suggestion is no longer there; pick one again.")


def proposal_take(
    *, case: Case, actor: User, rank: int, submission_token: uuid.UUID, now: datetime | None = None
) -> tuple[Proposal, bool]:
    """Offer the customer suggestion `rank` (1 first) as it stands for `actor` now, with what
    similar cases say of it: `proposal_create` with the option's lines, title and rank. The
    case page's one click and the API's `{"rank": n}` are this."""
    options = suggestions_for(case, actor)
    if not 1 <= rank <= len(options):
        raise ApplicationError(SUGGESTION_GONE, field="rank")
    option = options[rank - 1]
    return proposal_create(
        case=case,
        actor=actor,
        title=option.title,
        suggested_rank=option.rank,
        submission_token=submission_token,
        lines=[LineInput(ln.kind, ln.face_value, ln.reason) for ln in option.lines],
        evidence=evidence_for(case, actor, option.lines).to_json(),
        now=now,
    )


@transaction.atomic
def proposal_create(
    *,
    case: Case,
    actor: User,
    lines: list[LineInput],
    title: str,
    submission_token: uuid.UUID,
    suggested_rank: int | None = None,
    below_floor_reason: str = "",
    evidence: dict | None = None,
    now: datetime | None = None,
) -> tuple[Proposal, bool]:
    """Offer remedies on a case. Within the actor's authority they are approved at once;
    above it the case waits for a manager or owner. The same token twice makes one proposal.
    `evidence` is what similar cases said of these remedies as the proposer saw it
    (recovery/evidence.py Evidence.to_json); the proposal keeps it for the approver."""
    now = now or timezone.now()
    existing = Proposal.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    case = Case.objects.select_for_update(of=("self",)).select_related("customer", "location").get(pk=case.pk)
    check_location(actor, case.location_id)
    if case.state not in (State.OPEN.value, State.IN_RECOVERY.value):
        raise ApplicationError(
            str(ALREADY_PENDING if case.state == State.AWAITING_APPROVAL.value else CASE_NOT_OPEN_FOR_REMEDY)
        )
    in_force = policy_in_force()
    chosen = _lines(lines, in_force, case)
    compensation = compensation_of(chosen)
    on_case = money_on_case(case.pk)
    _check_case_bounds(case, chosen, in_force, on_case)
    suggestions = suggestions_for(case, actor, in_force)
    below_floor = _below_floor(compensation + on_case.compensation, suggestions, below_floor_reason)
    needs, approver, why = _approval_needed(chosen, actor, case, in_force, on_case, now)
    proposal = Proposal(
        case=case,
        policy=in_force.row,
        title=title[:120],
        suggested_rank=suggested_rank,
        below_floor_reason=below_floor_reason.strip() if below_floor else "",
        state=Proposal.State.PENDING if needs else Proposal.State.APPROVED,
        compensation=compensation,
        face_value=sum((ln.face_value for ln in chosen), Decimal(0)),
        cost=sum((ln.cost for ln in chosen), Decimal(0)),
        approver_role=approver.value if approver else "",
        approval_reason=why,
        proposed_by=actor,
        proposed_at=now,
        submission_token=submission_token,
        evidence=evidence or {},
        decided_at=None if needs else now,
        decision_policy=None if needs else in_force.row,
        deliver_by=None if needs else delivery_deadline(in_force.row, case.location_id, now),
    )
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        existing = Proposal.objects.filter(submission_token=submission_token).first()
        if existing is None:
            raise ApplicationError(ALREADY_PENDING) from None
        return existing, False
    _save_lines(proposal, chosen)
    if not needs:
        _record_approval(proposal, now)
    _record_made(proposal, actor, approver if needs else None, why, now)
    if needs:
        case_transition(case=case, actor=actor, to_state=State.AWAITING_APPROVAL, now=now)
    elif case.state == State.OPEN.value:
        case_transition(case=case, actor=actor, to_state=State.IN_RECOVERY, now=now)
    return proposal, True


def _below_floor(compensation: Decimal, suggestions: list[Option], reason: str) -> bool:
    """Less than the smallest suggestion: allowed, with a reason the approver reads."""
    floor = min(option.compensation for option in suggestions)
    if compensation < floor and not reason.strip():
        raise ApplicationError(BELOW_FLOOR.format(floor=format_money(floor)), field="below_floor_reason")
    return compensation < floor


def _record_made(proposal: Proposal, actor: User, approver: Role | None, why: str, now: datetime) -> None:
    """The proposal on the timeline: approved on the spot, or whose approval it needs and why."""
    summary = _summary(proposal)
    if approver is not None:
        note = f"Proposed {summary}. Needs {A_ROLE[approver]}: {why}."
    else:
        note = f"Approved on the spot: {summary}."
    events.record(
        kind=Kind.PROPOSAL_MADE,
        case=proposal.case,
        actor=actor,
        now=now,
        note=note,
        payload=events.ProposalMade(
            proposal_id=proposal.pk, total=proposal.compensation, needs=approver.value if approver else ""
        ),
    )
