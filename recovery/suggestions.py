"""The suggestion engine: what to offer a customer we let down (no Django import).

Input: the case's facts, the customer, who is asking, the policy and the
catalogue. Output: two or three ranked options, each a bundle of remedies
with amounts, what they cost the business, one plain reason a line, and
whether the person asking may grant it or who must approve it.

The rules (docs/recovery-policy.md has worked examples):
1. Always a sincere apology and an honest explanation.
2. An overcharge recorded on the case is given back in full first; a correction
   is owed, so it is not compensation and counts against no cap or budget, but
   it is money all the same: it counts against the asker's limit.
3. The customer's hidden costs are reimbursed in full.
4. What failed is compensated in proportion: generously (a little past the
   price) when the mistake spoiled the experience, partly (a share growing with
   severity) when the customer still had what they paid for; never less than
   the gesture for the severity, so moderate and worse never get words alone.
5. A repeat incident within 90 days counts one severity higher.
6. Staff conduct, a broken promise or poor treatment adds a personal call
   from the manager (the owner when critical or repeated).
7. Compensation is capped at a multiple of the loss and at a share of the
   customer's yearly value, but value never caps below the loss itself.
Every amount is a non-decreasing function of severity, loss and hidden costs,
so more harm never yields a smaller suggestion (tests check it with hypothesis).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from cases.severity import Severity
from core.text import with_article

from .policy import DEFAULT_CATALOGUE, DEFAULT_POLICY, Policy, RemedyKind, RemedyType, Role
from .totals import Totals, totals_of

CENT = Decimal("0.01")
ZERO = Decimal(0)
SEVERITIES = list(Severity)
FAILURE_REMEDY = {
    # Roschk & Gelbrich (2014): match the remedy to the kind of failure.
    "billing_error": RemedyKind.PARTIAL_REFUND,
    "product_quality": RemedyKind.FREE_REDO,
    "defective_product": RemedyKind.FREE_REDO,
    "missed_appointment": RemedyKind.FREE_REDO,
    "delay": RemedyKind.PARTIAL_REFUND,
    "staff_conduct": RemedyKind.FREE_ITEM,
    "broken_promise": RemedyKind.FREE_ITEM,
    "other": RemedyKind.GIFT_CARD,
}
PERSONAL_CATEGORIES = {"staff_conduct", "broken_promise"}
REFUNDS = {RemedyKind.FULL_REFUND, RemedyKind.PARTIAL_REFUND}


@dataclass(frozen=True)
class CaseFacts:
    category: str
    severity: Severity
    order_value: Decimal = ZERO
    hidden_costs: Decimal = ZERO
    hidden_costs_description: str = ""
    experience_ruined: bool = False  # the customer did not get what they paid for
    treated_poorly: bool = False
    repeat_incident: bool = False
    overcharge: Decimal = ZERO  # money wrongly taken: given back in full as a correction


@dataclass(frozen=True)
class Asker:
    """Who asks for the suggestion: their role and their own limit, if set."""

    role: Role
    limit_override: Decimal | None = None
    # Whose limit a reason names: "your" for the person reading the suggestion, a name where
    # others read it (the approval queue, the case's timeline).
    name: str = ""

    @property
    def whose(self) -> str:
        return f"{self.name}'s" if self.name else "your"


@dataclass(frozen=True)
class Line:
    kind: RemedyKind
    face_value: Decimal
    cost: Decimal
    reason: str
    # A discount given as a share of a future purchase; face_value is then its estimated worth.
    percent: Decimal | None = None

    @property
    def counts_as_compensation(self) -> bool:
        return self.kind is not RemedyKind.CORRECTION


@dataclass(frozen=True)
class Option:
    rank: int
    title: str
    lines: tuple[Line, ...]
    needs_approval: bool
    approver: Role | None
    approval_reason: str
    policy_version: int

    @property
    def face_value(self) -> Decimal:
        return sum((line.face_value for line in self.lines), ZERO)

    @property
    def compensation(self) -> Decimal:
        """What counts against caps and budgets: everything but a correction."""
        return compensation_of(self.lines)

    @property
    def cost(self) -> Decimal:
        return sum((line.cost for line in self.lines), ZERO)

    @property
    def totals(self) -> Totals:
        """Compensation, its cost to us and what is owed back, apart (recovery/totals.py)."""
        return totals_of(self.lines)


def compensation_of(lines) -> Decimal:
    """What counts against caps and budgets: every amount but a correction."""
    return sum((line.face_value for line in lines if line.counts_as_compensation), ZERO)


def _money(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _up(amount: Decimal) -> Decimal:
    """Round in the customer's favour to whole units (to the cent below 10)."""
    step = Decimal(1) if amount >= 10 else CENT
    return amount.quantize(step, rounding=ROUND_CEILING).quantize(CENT)


def _down(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def effective_severity(facts: CaseFacts) -> Severity:
    """A repeat incident escalates one step."""
    if facts.repeat_incident:
        return SEVERITIES[min(facts.severity.rank + 1, len(SEVERITIES) - 1)]
    return facts.severity


def compensation_cap(facts: CaseFacts, yearly_value: Decimal | None, policy: Policy) -> Decimal:
    """The most any option may give (beyond a correction)."""
    loss = ZERO if facts.category == "billing_error" else facts.order_value
    base = loss + facts.hidden_costs
    floor = gesture(facts, policy) + facts.hidden_costs
    cap = max(base * policy.max_multiple_of_base, floor)
    if yearly_value is not None:
        cap = min(cap, max(yearly_value * policy.max_share_of_yearly_value, base, floor))
    return _down(cap)


def failure_compensation(facts: CaseFacts, policy: Policy) -> Decimal:
    """What we give for the thing that failed, before caps (hidden costs come on top)."""
    severity = effective_severity(facts)
    loss = ZERO if facts.category == "billing_error" else facts.order_value
    share = policy.generosity if facts.experience_ruined else policy.partial_share[severity.value] * policy.generosity
    return max(loss * share, gesture(facts, policy))


def gesture(facts: CaseFacts, policy: Policy) -> Decimal:
    """The least we give beyond words for this severity, whatever the price was."""
    amount = policy.gesture[effective_severity(facts).value]
    if facts.category == "billing_error":
        amount = max(amount, policy.billing_gesture)  # the correction comes with a gesture
    return amount


def suggest(
    facts: CaseFacts,
    *,
    asker: Asker,
    yearly_value: Decimal | None = None,
    policy: Policy = DEFAULT_POLICY,
    catalogue: dict[RemedyKind, RemedyType] = DEFAULT_CATALOGUE,
    budget_left: Decimal | None = None,
    money: Callable[[Decimal], str] = _money,
    on_case: Decimal = ZERO,
) -> list[Option]:
    """Two or three ranked options for this case. Deterministic: same input, same output.
    `on_case` is the money the case already has granted or waiting (see `approval_needed`)."""
    if facts.order_value < 0 or facts.hidden_costs < 0 or facts.overcharge < 0:
        raise ValueError("Amounts cannot be negative.")
    severity = effective_severity(facts)
    cap = compensation_cap(facts, yearly_value, policy)
    reimbursement = min(facts.hidden_costs, cap)
    for_failure = _down(min(_up(failure_compensation(facts, policy)), cap - reimbursement))
    loss = ZERO if facts.category == "billing_error" else facts.order_value

    def line(kind: RemedyKind, face: Decimal, reason: str) -> Line:
        ratio = catalogue[kind].cost_ratio if kind in catalogue else Decimal(1)
        return Line(kind, face.quantize(CENT), _down(face * ratio), reason)

    def enabled(*kinds: RemedyKind) -> RemedyKind | None:
        return next((k for k in kinds if k not in catalogue or catalogue[k].enabled), None)

    before = [line(RemedyKind.APOLOGY, ZERO, "Always: a prompt, sincere apology and an honest explanation.")]
    if facts.overcharge > 0:
        before.append(
            line(
                RemedyKind.CORRECTION,
                facts.overcharge,
                f"gives back the {money(facts.overcharge)} overcharged, in full: owed, not compensation",
            )
        )
    after = []
    if reimbursement > 0:
        what = facts.hidden_costs_description.strip().rstrip(".").lower() or "costs the mistake caused"
        after.append(
            line(
                RemedyKind.REIMBURSEMENT,
                reimbursement,
                f"reimburses the {money(reimbursement)} the customer paid: {what}",
            )
        )
    personal = facts.category in PERSONAL_CATEGORIES or facts.treated_poorly or facts.repeat_incident
    if personal:
        senior = severity is Severity.CRITICAL or facts.repeat_incident
        kind = enabled(RemedyKind.OWNER_CALL if senior else RemedyKind.MANAGER_CALL, RemedyKind.MANAGER_CALL)
        if kind:
            who = "owner" if kind is RemedyKind.OWNER_CALL else "manager"
            why = "it happened again" if facts.repeat_incident else "the failure was in how we treated them"
            after.append(
                line(kind, ZERO, f"a call from the {who} within {policy.personal_call_within_hours} hours: {why}")
            )
    if severity is Severity.CRITICAL and enabled(RemedyKind.HANDWRITTEN_CARD):
        after.append(line(RemedyKind.HANDWRITTEN_CARD, ZERO, "a handwritten card: it was serious"))

    why_amount = _why(facts, loss, for_failure, severity, money)
    bundles: list[tuple[str, list[Line]]] = []
    if for_failure > 0:
        matched = enabled(FAILURE_REMEDY[facts.category], RemedyKind.PARTIAL_REFUND, RemedyKind.GIFT_CARD)
        refund = enabled(
            RemedyKind.FULL_REFUND if loss and for_failure >= loss else RemedyKind.PARTIAL_REFUND,
            RemedyKind.PARTIAL_REFUND,
        )
        credit = enabled(RemedyKind.GIFT_CARD, RemedyKind.DISCOUNT)
        if matched:
            bundles.append(
                ("Matched to what went wrong", _matched(matched, for_failure, loss, why_amount, line, enabled))
            )
        if refund and matched not in REFUNDS:
            bundles.append(("Money back now", [line(refund, for_failure, f"{why_amount}, as money back now")]))
        if credit:
            face = min(_up(for_failure * policy.credit_multiple), cap - reimbursement)
            bundles.append(
                (
                    "Credit for next time",
                    [line(credit, face, f"{why_amount}; as credit, worth a little more than money now")],
                )
            )
    if not bundles:
        # Minor, nothing lost: the apology and putting it right are the remedy; a personal
        # touch is the other way to show we care.
        bundles.append(("Apology and a fix", []))
        if enabled(RemedyKind.HANDWRITTEN_CARD) and not any(ln.kind is RemedyKind.HANDWRITTEN_CARD for ln in after):
            bundles.append(
                (
                    "Apology and a handwritten card",
                    [line(RemedyKind.HANDWRITTEN_CARD, ZERO, "a personal note shows someone cares")],
                )
            )

    options, seen = [], set()
    for title, extra in bundles:
        lines = tuple(before + extra + after)
        key = tuple((ln.kind, ln.face_value) for ln in lines)
        if key in seen:
            continue
        seen.add(key)
        needs, approver, reason = approval_needed(lines, asker, policy, catalogue, budget_left, money, on_case=on_case)
        options.append(Option(len(options) + 1, title, lines, needs, approver, reason, policy.version))
    return options


def _why(facts: CaseFacts, loss: Decimal, amount: Decimal, severity: Severity, money) -> str:
    """Why this amount, in the case's own severity (the one staff set, overridden or not); a repeat
    incident, which the amounts count one step higher, is said as such."""
    failure = with_article(f"{facts.severity.value} failure")
    again = f", counted as {severity.value} because it happened again" if severity is not facts.severity else ""
    if loss > 0 and facts.experience_ruined:
        return f"{money(amount)} for the {money(loss)} experience that was spoiled, a little past the price"
    if loss > 0:
        return f"{money(amount)} in proportion to {failure} on a {money(loss)} purchase{again}"
    return f"a {money(amount)} gesture for {failure}{again}"


def _matched(kind, amount, loss, why, line, enabled) -> list[Line]:
    """A redo replaces what failed (worth the price); anything above it comes as money."""
    if kind is RemedyKind.FREE_REDO and loss > 0:
        redo = min(amount, loss)
        lines = [line(kind, redo, f"{why}: done again or replaced, free")]
        extra = amount - redo
        top_up = enabled(RemedyKind.PARTIAL_REFUND, RemedyKind.GIFT_CARD)
        if extra > 0 and top_up:
            lines.append(line(top_up, extra, "a little extra in the customer's favour"))
        return lines
    if kind in REFUNDS:
        kind = enabled(RemedyKind.FULL_REFUND if loss and amount >= loss else RemedyKind.PARTIAL_REFUND, kind)
    return [line(kind, amount, why)]


def money_granted(lines, on_case: Decimal = ZERO) -> Decimal:
    """What a limit weighs: every amount of money in these lines, corrections too (owed, but
    money all the same), plus `on_case`, what the case already has granted or waiting. Authority
    is per case: six proposals of 50 on one case weigh what one of 300 does."""
    return sum((ln.face_value for ln in lines), ZERO) + on_case


def approval_needed(
    lines, asker, policy, catalogue, budget_left, money=_money, *, on_case: Decimal = ZERO
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
