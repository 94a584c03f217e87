"""Writing the recovery side: one function per change, each in one transaction.

A proposal is created from a suggestion (or an edited one), approved on the
spot within the proposer's authority or sent to a manager or owner, decided
once, and delivered line by line. Every step writes the case's timeline and
the ledger in the same transaction; mail goes out only after commit.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from cases import events
from cases.events import Kind
from cases.models import Case
from cases.services import case_transition
from cases.states import State
from core.exceptions import ApplicationError
from core.money import format_money
from core.text import with_article

from .authority import case_record_overcharge as case_record_overcharge  # the views call services
from .authority import check_corrections, check_location, lock_budget
from .catalogue import catalogue_to_json
from .models import LedgerEntry, PolicyVersion, Proposal, ProposalLine
from .policy import RemedyKind, RemedyType, Role
from .selectors import (
    MoneyOnCase,
    PolicyInForce,
    asker_for,
    budget_left,
    case_facts,
    money_on_case,
    policy_in_force,
    policy_role,
    suggestions_for,
)
from .suggestions import Line, approval_needed, compensation_cap, compensation_of
from .totals import totals_words

CASE_NOT_OPEN_FOR_REMEDY = "A remedy can only be proposed while the case is open or in recovery."
ALREADY_PENDING = "This case already has a proposal awaiting approval."
NO_LINES = "Choose at least one remedy besides the apology."
NEGATIVE = "An amount must be more than zero."
NOT_MONEY = "{remedy} is not money: leave its value empty."
TOO_LARGE = "{amount} is above the cap of {cap} for this case."
TOO_LARGE_IN_ALL = "{amount} on this case in all is above the cap of {cap} for this case ({left} left to give)."
BELOW_FLOOR = "This is less than the smallest suggestion ({floor}): say why."
DISABLED = "{remedy} is switched off in the remedy catalogue."
OWN_PROPOSAL = "You cannot decide on your own proposal: another manager or an owner must."
ALREADY_DECIDED = "This proposal was already {state} by {who}."
CHANGED_SINCE = "This proposal changed since you opened it; here it is as it stands now."
REASON_NEEDED = "Give a reason: the proposer and the customer's history keep it."
PERCENT_RANGE = "A discount in percent must be more than 0 and at most 100."
PERCENT_NO_BASE = "There is no price to take a percentage of: give the discount as an amount."
PERCENT_ONLY_DISCOUNT = "Only a discount can be given in percent."
NOT_AN_APPROVER = "Only a manager or an owner can decide on proposals."
NEEDS_OWNER = "This proposal needs an owner's decision."

MONEY_KINDS = {
    k
    for k in RemedyKind
    if k not in {RemedyKind.APOLOGY, RemedyKind.MANAGER_CALL, RemedyKind.OWNER_CALL, RemedyKind.HANDWRITTEN_CARD}
}


@dataclass(frozen=True)
class LineInput:
    kind: RemedyKind
    face_value: Decimal
    reason: str = ""
    percent: Decimal | None = None  # a discount as a share of the next purchase


def _percent_discount(item: LineInput, case: Case) -> LineInput:
    """A percentage off the next purchase, valued at that share of this order (or of an
    average month's spend) so that limits, caps and budgets can weigh it."""
    if not Decimal(0) < item.percent <= Decimal(100):  # type: ignore[operator]  # a percent line has its percent
        raise ApplicationError(PERCENT_RANGE, field="lines")
    base = case.order_value or (case.customer.yearly_value or Decimal(0)) / 12
    if base <= 0:
        raise ApplicationError(PERCENT_NO_BASE, field="lines")
    worth = (base * item.percent / 100).quantize(Decimal("0.01"))  # type: ignore[operator]  # as above
    reason = item.reason.strip() or f"{item.percent.normalize()}% off the next purchase (about {format_money(worth)})"  # type: ignore[union-attr]  # as above
    return LineInput(RemedyKind.DISCOUNT, worth, reason, item.percent)


def _lines(inputs: list[LineInput], in_force: PolicyInForce, case: Case) -> list[Line]:
    lines = [Line(RemedyKind.APOLOGY, Decimal("0.00"), Decimal("0.00"), "A prompt, sincere apology.")]
    for item in inputs:
        if item.kind is RemedyKind.APOLOGY:
            continue
        if item.percent is not None:
            if item.kind is not RemedyKind.DISCOUNT:
                raise ApplicationError(PERCENT_ONLY_DISCOUNT, field="lines")
            item = _percent_discount(item, case)
        entry = in_force.catalogue.get(item.kind)
        if entry is not None and not entry.enabled:
            raise ApplicationError(DISABLED.format(remedy=item.kind.label))
        if item.face_value < 0 or (item.kind in MONEY_KINDS and item.face_value == 0):
            raise ApplicationError(NEGATIVE, field="lines")
        if item.kind not in MONEY_KINDS and item.face_value > 0:
            # A call or a card given a value would count as money granted that costs nothing.
            raise ApplicationError(NOT_MONEY.format(remedy=item.kind.label), field="lines")
        ratio = entry.cost_ratio if entry else Decimal(1)
        face = item.face_value.quantize(Decimal("0.01"))
        lines.append(Line(item.kind, face, (face * ratio).quantize(Decimal("0.01")), item.reason.strip(), item.percent))
    if len(lines) == 1:
        raise ApplicationError(NO_LINES, field="lines")
    return lines


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
            ALREADY_PENDING if case.state == State.AWAITING_APPROVAL.value else CASE_NOT_OPEN_FOR_REMEDY
        )
    in_force = policy_in_force()
    chosen = _lines(lines, in_force, case)
    compensation = compensation_of(chosen)
    on_case = money_on_case(case.pk)
    _check_case_bounds(case, chosen, in_force, on_case)
    suggestions = suggestions_for(case, actor, in_force)
    floor = min(option.compensation for option in suggestions)
    below_floor = compensation + on_case.compensation < floor
    if below_floor and not below_floor_reason.strip():
        raise ApplicationError(BELOW_FLOOR.format(floor=format_money(floor)), field="below_floor_reason")
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
    summary = _summary(proposal)
    if needs:
        note = f"Proposed {summary}. Needs {with_article(approver.value.lower())}: {why}."
    else:
        _record_approval(proposal, now)
        note = f"Approved on the spot: {summary}."
    events.record(
        kind=Kind.PROPOSAL_MADE,
        case=case,
        actor=actor,
        now=now,
        note=note,
        payload=events.ProposalMade(
            proposal_id=proposal.pk, total=proposal.compensation, needs=approver.value if needs else ""
        ),
    )
    if needs:
        case_transition(case=case, actor=actor, to_state=State.AWAITING_APPROVAL, now=now)
    elif case.state == State.OPEN.value:
        case_transition(case=case, actor=actor, to_state=State.IN_RECOVERY, now=now)
    return proposal, True


def _save_lines(proposal: Proposal, lines: list[Line]) -> None:
    ProposalLine.objects.bulk_create(
        [
            ProposalLine(
                proposal=proposal,
                kind=ln.kind.value,
                face_value=ln.face_value,
                cost=ln.cost,
                reason=ln.reason,
                percent=ln.percent,
                position=i,
            )
            for i, ln in enumerate(lines)
        ]
    )


def _check_case_bounds(case: Case, lines: list[Line], in_force: PolicyInForce, on_case: MoneyOnCase) -> None:
    """Corrections within the overcharge, and compensation within the case's cap, counting what
    the case already has granted or waiting: splitting a remedy into parts gets no further."""
    check_corrections(case, lines, on_case)
    compensation = compensation_of(lines)
    cap = compensation_cap(case_facts(case), case.customer.yearly_value, in_force.policy)
    total = compensation + on_case.compensation
    if total > cap and on_case.compensation:
        left = format_money(max(cap - on_case.compensation, Decimal(0)))
        message = TOO_LARGE_IN_ALL.format(amount=format_money(total), cap=format_money(cap), left=left)
        raise ApplicationError(message, field="lines")
    if total > cap:
        raise ApplicationError(TOO_LARGE.format(amount=format_money(total), cap=format_money(cap)), field="lines")


def _approval_needed(
    lines: list[Line], actor: User, case: Case, in_force: PolicyInForce, on_case: MoneyOnCase, now: datetime
) -> tuple[bool, Any, str]:
    """`approval_needed` for this actor on this case, with the budget locked until the transaction
    ends: the check and the ledger write it allows happen one approval at a time per location."""
    lock_budget(case.location_id, now)
    left = budget_left(case.location, in_force.row, now)
    return approval_needed(
        lines, asker_for(actor), in_force.policy, in_force.catalogue, left, format_money, on_case=on_case.total
    )


def _summary(proposal: Proposal) -> str:
    return f"“{proposal.title}” ({totals_words(proposal.totals, format_money)})"


def _record_approval(proposal: Proposal, now: datetime) -> None:
    """The ledger gets every approved amount (the reminder to deliver it in time follows from
    the event: followups/reactions.py)."""
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(
                line=line,
                location_id=proposal.case.location_id,
                entry=LedgerEntry.Entry.APPROVED,
                kind=line.kind,
                amount=line.face_value,
                cost=line.cost,
                is_compensation=line.kind != RemedyKind.CORRECTION.value,
                created_at=now,
            )
            for line in proposal.lines.all()
            if line.face_value > 0
        ]
    )


def _locked_for_decision(proposal: Proposal, actor: User, expected_revision: int) -> Proposal:
    """The proposal, locked, after every check a decision must pass."""
    proposal = (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("case", "case__location", "case__customer", "decided_by")
        .get(pk=proposal.pk)
    )
    check_location(actor, proposal.case.location_id)
    if not actor.has_perm("recovery.decide_proposal"):
        raise ApplicationError(NOT_AN_APPROVER)
    if proposal.state != Proposal.State.PENDING:
        who = proposal.decided_by or "someone"
        raise ApplicationError(ALREADY_DECIDED.format(state=proposal.get_state_display().lower(), who=who))
    if proposal.revision != expected_revision:
        raise ApplicationError(CHANGED_SINCE)
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
    proposal.decision_policy = policy_in_force().row
    proposal.revision += 1
    proposal.save(update_fields=["state", "decided_by", "decided_at", "decision_reason", "decision_policy", "revision"])
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


@transaction.atomic
def remedy_deliver(
    *, line: ProposalLine, actor: User, reference: str = "", now: datetime | None = None
) -> ProposalLine:
    """Record how one remedy reached the customer. When every remedy of the proposal has,
    the proposal is delivered and the case moves on."""
    now = now or timezone.now()
    line = (
        ProposalLine.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__case")
        .get(pk=line.pk)
    )
    proposal = line.proposal
    check_location(actor, proposal.case.location_id)
    if proposal.state != Proposal.State.APPROVED:
        raise ApplicationError("Only an approved proposal can be delivered.")
    if line.delivered_at is not None:
        return line
    line.delivered_at, line.delivered_by, line.delivery_reference = now, actor, reference.strip()
    line.save(update_fields=["delivered_at", "delivered_by", "delivery_reference"])
    if line.face_value > 0:
        LedgerEntry.objects.create(
            line=line,
            location_id=proposal.case.location_id,
            entry=LedgerEntry.Entry.DELIVERED,
            kind=line.kind,
            amount=line.face_value,
            cost=line.cost,
            is_compensation=line.kind != RemedyKind.CORRECTION.value,
            created_at=now,
        )
    all_delivered = not proposal.lines.filter(delivered_at__isnull=True).exists()
    if all_delivered:
        proposal.state = Proposal.State.DELIVERED
        proposal.revision += 1
        proposal.save(update_fields=["state", "revision"])
        note = f"Delivered {_summary(proposal)}."
    else:
        label = RemedyKind(line.kind).label
        note = f"Delivered: {label}" + (f" ({line.delivery_reference})" if reference else ".")
    # When the last remedy is out, the customer hears what was done (followups/reactions.py).
    events.record(
        kind=Kind.REMEDY_DELIVERED,
        case=proposal.case,
        actor=actor,
        now=now,
        note=note,
        payload=events.RemedyDelivered(
            proposal_id=proposal.pk,
            line_id=line.pk,
            remedy=line.kind,
            reference=line.delivery_reference,
            all_delivered=all_delivered,
        ),
    )
    if all_delivered:
        case_transition(case=proposal.case, actor=actor, to_state=State.REMEDY_DELIVERED, now=now)
    return line


@transaction.atomic
def policy_publish(*, actor: User, values: dict, catalogue: dict[RemedyKind, RemedyType]) -> PolicyVersion:
    """Put a new version of the policy and catalogue in force. Earlier versions stay as they
    were, so every past suggestion and decision still points at the rules it used."""
    if not actor.has_perm("recovery.add_policyversion"):
        raise ApplicationError("Only an owner can change the recovery policy.")
    version = PolicyVersion(
        **values, catalogue=catalogue_to_json(catalogue), created_by=actor, created_at=timezone.now()
    )
    version.full_clean()
    previous = PolicyVersion.objects.order_by("-id").first()  # the version in force until now
    version.save()
    names = [*values, "catalogue"]
    changes = {
        name: (None if previous is None else getattr(previous, name), getattr(version, name))
        for name in names
        if previous is None or getattr(previous, name) != getattr(version, name)
    }
    events.record(
        kind=Kind.POLICY_PUBLISHED,
        actor=actor,
        subject=f"policy:{version.pk}",
        note=f"Policy version {version.pk} published.",
        payload=events.Changed(changes=changes),
    )
    return version
