"""Who may grant a recovery on the spot, and who must approve it (no Django import).

Split from the suggestion engine (recovery/suggestions.py re-exports both functions): it weighs any
lines, suggested or edited by staff, against the asker's limit, the catalogue and the budget."""

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Protocol

from core.text import with_article

from .policy import Policy, PricedLine, RemedyKind, RemedyType, Role


class Asking(Protocol):
    """Who asks (suggestions.Asker): their role, their own limit if set, and whose limit to name."""

    @property
    def role(self) -> Role: ...
    @property
    def limit_override(self) -> Decimal | None: ...
    @property
    def whose(self) -> str: ...


ZERO = Decimal(0)


def plain_money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


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
) -> tuple[bool, Role | None, str]:
    """Whether `asker` may grant these lines on the spot; if not, who must approve and why."""
    granted = money_granted(lines, on_case)
    cost = sum((ln.cost for ln in lines), ZERO)
    needed = Role.FRONTLINE
    reasons = []
    limit = policy.limit_for(asker.role, asker.limit_override)
    if limit is not None and granted > limit:
        needed = max(needed, policy.role_that_can_grant(granted), Role.MANAGER, key=lambda r: r.rank)
        in_all = " on this case in all" if on_case else ""
        reason = f"{money(granted)}{in_all} is above {asker.whose} limit of {money(limit)}"
        manager_limit = policy.authority[Role.MANAGER]
        if needed is Role.OWNER and asker.role is not Role.MANAGER and manager_limit is not None:
            reason += f" and a manager's of {money(manager_limit)}"
        reasons.append(reason)
    for ln in lines:
        granted_by = catalogue[ln.kind].granted_by if ln.kind in catalogue else Role.FRONTLINE
        if granted_by.rank > asker.role.rank:
            needed = max(needed, granted_by, key=lambda r: r.rank)
            reasons.append(f"{ln.kind.label.lower()} needs {with_article(granted_by.value.lower())}")
    # Past the month's budget an owner decides: an owner asking is that decision (else it loops).
    if budget_left is not None and cost > budget_left and asker.role is not Role.OWNER:
        needed = Role.OWNER
        reasons.append(f"its cost of {money(cost)} is more than the {money(budget_left)} left in this month's budget")
    if needed.rank <= asker.role.rank and not reasons:
        return False, None, ""
    return True, needed, "; ".join(reasons)
