"""Who may grant a recovery on the spot, and who must approve it (no Django import).

Split from the suggestion engine (recovery/suggestions.py re-exports both functions): it weighs any
lines, suggested or edited by staff, against the asker's limit, the catalogue and the budget."""

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from accounts.role import A_ROLE
from cases.severity import plain_money as plain_money  # re-exported: the default way to write an amount
from core.translatable import Translate, as_it_is, gettext_noop

from .policy import Policy, PricedLine, RemedyKind, RemedyType, Role

# The reasons, marked for translation: said in the asker's language (`translate`), stored as said.
ABOVE_YOUR_LIMIT = gettext_noop("{amount} is above your limit of {limit}")
ABOVE_YOUR_LIMIT_IN_ALL = gettext_noop("{amount} on this case in all is above your limit of {limit}")
ABOVE_THEIR_LIMIT = gettext_noop("{amount} is above {name}'s limit of {limit}")
ABOVE_THEIR_LIMIT_IN_ALL = gettext_noop("{amount} on this case in all is above {name}'s limit of {limit}")
AND_A_MANAGERS = gettext_noop("{reason} and a manager's of {limit}")
REMEDY_NEEDS = gettext_noop("{remedy} needs {who}")
OVER_BUDGET = gettext_noop("its cost of {cost} is more than the {left} left in this month's budget")


class Asking(Protocol):
    """Who asks (suggestions.Asker): their role, their own limit if set, and the name a reason
    gives their limit ("" for "your": the asker reads it)."""

    @property
    def role(self) -> Role: ...
    @property
    def limit_override(self) -> Decimal | None: ...
    @property
    def name(self) -> str: ...


ZERO = Decimal(0)


def money_granted(lines: Iterable[PricedLine], on_case: Decimal = ZERO) -> Decimal:
    """What a limit weighs: every amount of money in these lines, corrections too (owed, but
    money all the same), plus `on_case`, what the case already has granted or waiting. Authority
    is per case: six proposals of 50 on one case weigh what one of 300 does."""
    return sum((ln.face_value for ln in lines), ZERO) + on_case


def approval_needed(
    lines: Sequence[PricedLine],
    asker: Asking,
    policy: Policy,
    catalogue: dict[RemedyKind, RemedyType],
    budget_left: Decimal | None,
    money: Callable[[Decimal], str] = plain_money,
    *,
    on_case: Decimal = ZERO,
    translate: Translate = as_it_is,
) -> tuple[bool, Role | None, str]:
    """Whether `asker` may grant these lines on the spot; if not, who must approve and why (in
    English unless `translate`, gettext in the asker's language, says otherwise)."""
    granted = money_granted(lines, on_case)
    cost = sum((ln.cost for ln in lines), ZERO)
    needed = Role.FRONTLINE
    reasons = []
    limit = policy.limit_for(asker.role, asker.limit_override)
    if limit is not None and granted > limit:
        needed = max(needed, policy.role_that_can_grant(granted), Role.MANAGER, key=lambda r: r.rank)
        if asker.name:
            above = ABOVE_THEIR_LIMIT_IN_ALL if on_case else ABOVE_THEIR_LIMIT
        else:
            above = ABOVE_YOUR_LIMIT_IN_ALL if on_case else ABOVE_YOUR_LIMIT
        reason = translate(above).format(amount=money(granted), name=asker.name, limit=money(limit))
        manager_limit = policy.authority[Role.MANAGER]
        if needed is Role.OWNER and asker.role is not Role.MANAGER and manager_limit is not None:
            reason = translate(AND_A_MANAGERS).format(reason=reason, limit=money(manager_limit))
        reasons.append(reason)
    for ln in lines:
        granted_by = catalogue[ln.kind].granted_by if ln.kind in catalogue else Role.FRONTLINE
        if granted_by.rank > asker.role.rank:
            needed = max(needed, granted_by, key=lambda r: r.rank)
            remedy = translate(ln.kind.label)
            who = translate(A_ROLE[granted_by])
            reasons.append(translate(REMEDY_NEEDS).format(remedy=remedy[:1].lower() + remedy[1:], who=who))
    # Past the month's budget an owner decides: an owner asking is that decision (else it loops).
    if budget_left is not None and cost > budget_left and asker.role is not Role.OWNER:
        needed = Role.OWNER
        reasons.append(translate(OVER_BUDGET).format(cost=money(cost), left=money(budget_left)))
    if needed.rank <= asker.role.rank and not reasons:
        return False, None, ""
    return True, needed, "; ".join(reasons)
