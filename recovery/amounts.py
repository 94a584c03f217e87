"""What the customer lost, as money (no Django import): the amounts the suggestion engine
(recovery/suggestions.py) gives for a case, before it shapes them into options.

The price is counted once: what they did not get of it (none < used < part < all), at an aim of
60-120% (Gelbrich et al. 2015), an occasion raising it, their time added minute by minute at an
hourly value, their own costs reimbursed exactly, all under a cap that the customer's value only
raises. Severity sets the least gesture, never a multiple of the price."""

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from cases.severity import Lost, Severity

from .policy import Policy

CENT = Decimal("0.01")
ZERO = Decimal(0)


@dataclass(frozen=True)
class CaseFacts:
    category: str
    severity: Severity
    order_value: Decimal = ZERO
    hidden_costs: Decimal = ZERO
    hidden_costs_description: str = ""
    # How much of what they paid for they did not get. The default, "used", is what a case
    # with a price and nothing said meant before the question was asked.
    lost: Lost = Lost.USED
    treated_poorly: bool = False
    repeat_incident: bool = False  # the case records another case of theirs in the 90 days before
    overcharge: Decimal = ZERO  # money wrongly taken: given back in full as a correction
    fixed_on_spot: bool = False  # staff put it right there and then
    time_lost_minutes: int = 0  # how much of their time it took
    occasion_mattered: bool = False  # a celebration, a flight, a meeting, a deadline
    # Their other cases, at any location, in the 90 days before this one that got an apology
    # or a remedy: what they were already given (recovery.selectors.case_facts).
    earlier_recoveries: int = 0

    @property
    def incident_number(self) -> int:
        """Which time in 90 days this is: 1 the first; a repeat on the case is at least the second."""
        return max(1 + self.earlier_recoveries, 2 if self.repeat_incident else 1)

    @property
    def is_repeat(self) -> bool:
        return self.incident_number > 1


def round_up(amount: Decimal) -> Decimal:
    """Round in the customer's favour to whole units (to the cent below 10)."""
    step = Decimal(1) if amount >= 10 else CENT
    return amount.quantize(step, rounding=ROUND_CEILING).quantize(CENT)


def round_down(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_FLOOR)


def effective_severity(facts: CaseFacts) -> Severity:
    """The severity the amounts use: the case's own. A repeat incident already scored in it
    (cases/severity.py), so it is not raised again here: a repeat counts once."""
    return facts.severity


def loss_of(facts: CaseFacts) -> Decimal:
    """What the customer paid for what failed (a billing error's loss is its overcharge, corrected)."""
    return ZERO if facts.category == "billing_error" else facts.order_value


def value_of(yearly_value: Decimal | None, policy: Policy) -> Decimal:
    """The customer's yearly value; an unknown one counts as a typical customer's."""
    return policy.typical_yearly_value if yearly_value is None else yearly_value


def compensation_cap(facts: CaseFacts, yearly_value: Decimal | None, policy: Policy) -> Decimal:
    """The most any option may give (beyond a correction). The customer's value only raises
    it: never below a generous remedy for the loss, and an unknown value is a typical one."""
    loss = loss_of(facts)
    own = facts.hidden_costs + time_value(facts, policy)  # what it cost them besides the price
    base = loss + own
    floor = gesture(facts, policy) + own
    cap = max(base * policy.max_multiple_of_base, floor)
    fair = loss * aim(facts, policy) + own
    cap = min(cap, max(value_of(yearly_value, policy) * policy.max_share_of_yearly_value, fair, floor))
    return round_down(cap)


def used_amount(loss: Decimal, policy: Policy) -> Decimal:
    """For a service used despite the flaw: `used_share` of the price up to `used_knee`, then
    growing as the square root (continuous, with no kink: the first part gives the most)."""
    if loss <= policy.used_knee or policy.used_knee <= 0:
        return loss * policy.used_share
    return policy.used_share * policy.used_knee * (2 * (loss / policy.used_knee).sqrt() - 1)


def lost_amount(facts: CaseFacts, policy: Policy) -> Decimal:
    """How much of the price the customer did not get, as money: none < used < part < all
    whatever the policy's shares."""
    loss = loss_of(facts)
    if facts.lost is Lost.NONE:
        return ZERO
    used = used_amount(loss, policy)
    if facts.lost is Lost.USED:
        return used
    if facts.lost is Lost.PART:
        return min(max(loss * policy.part_share, used), loss)
    return loss


def aim(facts: CaseFacts, policy: Policy) -> Decimal:
    """The multiple of what was lost we aim at: a little past it, a little more for an occasion."""
    return policy.generosity + (policy.occasion_extra if facts.occasion_mattered else ZERO)


def time_value(facts: CaseFacts, policy: Policy) -> Decimal:
    """The customer's time, at the policy's hourly value, minute by minute (no steps)."""
    return policy.time_value_per_hour * Decimal(facts.time_lost_minutes) / 60


def failure_compensation(facts: CaseFacts, policy: Policy) -> Decimal:
    """What we give for the thing that failed, before caps (hidden costs come on top): the
    price counted once, never multiplied by the severity it already raised, then their time."""
    return max(lost_amount(facts, policy) * aim(facts, policy), gesture(facts, policy)) + time_value(facts, policy)


def gesture(facts: CaseFacts, policy: Policy) -> Decimal:
    """The least we give beyond words for this severity, whatever the price was."""
    amount = policy.gesture[effective_severity(facts).value]
    if facts.category == "billing_error":
        amount = max(amount, policy.billing_gesture)  # the correction comes with a gesture
    return amount
