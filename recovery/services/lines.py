"""What a proposal offers: its lines read and bounded (caps, corrections, the catalogue),
who must approve them, and the ledger of what was approved."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases.models import Case
from core.exceptions import ApplicationError
from core.money import format_money

from ..authority import check_corrections, lock_budget
from ..models import LedgerEntry, Proposal, ProposalLine
from ..policy import RemedyKind
from ..selectors import (
    MoneyOnCase,
    PolicyInForce,
    asker_for,
    budget_left,
    case_facts,
)
from ..suggestions import Line, approval_needed, compensation_cap, compensation_of
from ..totals import totals_words

NO_LINES = _("Choose at least one remedy besides the apology.")


NEGATIVE = _("An amount must be more than zero.")


NOT_MONEY = _("{remedy} is not money: leave its value empty.")


TOO_LARGE = _("{amount} is above the cap of {cap} for this case.")


TOO_LARGE_IN_ALL = _("{amount} on this case in all is above the cap of {cap} for this case ({left} left to give).")


DISABLED = _("{remedy} is switched off in the remedy catalogue.")


PERCENT_RANGE = _("A discount in percent must be more than 0 and at most 100.")


PERCENT_NO_BASE = _("There is no price to take a percentage of: give the discount as an amount.")


PERCENT_ONLY_DISCOUNT = _("Only a discount can be given in percent.")


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
            raise ApplicationError(DISABLED.format(remedy=gettext(item.kind.label)))
        if item.face_value < 0 or (item.kind in MONEY_KINDS and item.face_value == 0):
            raise ApplicationError(NEGATIVE, field="lines")
        if item.kind not in MONEY_KINDS and item.face_value > 0:
            # A call or a card given a value would count as money granted that costs nothing.
            raise ApplicationError(NOT_MONEY.format(remedy=gettext(item.kind.label)), field="lines")
        ratio = entry.cost_ratio if entry else Decimal(1)
        face = item.face_value.quantize(Decimal("0.01"))
        lines.append(Line(item.kind, face, (face * ratio).quantize(Decimal("0.01")), item.reason.strip(), item.percent))
    if len(lines) == 1:
        raise ApplicationError(NO_LINES, field="lines")
    return lines


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
        lines,
        asker_for(actor),
        in_force.policy,
        in_force.catalogue,
        left,
        format_money,
        on_case=on_case.total,
        translate=gettext,
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
