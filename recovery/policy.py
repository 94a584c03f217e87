"""The recovery policy and the remedy catalogue, as plain values (no Django import).

An owner edits these in the app; the database keeps every version, and each
suggestion and decision records the version it used. The suggestion engine
(recovery/suggestions.py) reads them from here as frozen dataclasses.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal
from enum import Enum
from typing import Protocol

# The one Role (plain Python, like this module): who may grant what, ranked by authority.
from accounts.role import Role as Role  # re-exported: the rules here speak of it
from accounts.working_time import WorkingCalendar, add_working_time
from core.translatable import gettext_noop  # the labels are translated where shown


class RemedyKind(Enum):
    APOLOGY = "apology"
    MANAGER_CALL = "manager_call"
    OWNER_CALL = "owner_call"
    HANDWRITTEN_CARD = "handwritten_card"
    FULL_REFUND = "full_refund"
    PARTIAL_REFUND = "partial_refund"
    DISCOUNT = "discount"
    GIFT_CARD = "gift_card"
    FREE_REDO = "free_redo"
    FREE_ITEM = "free_item"
    # Giving back an overcharge: owed to the customer, so it is not compensation and
    # counts against no cap or budget, and is not in the owner's catalogue; bounded by the
    # overcharge the case records, and money all the same against the giver's limit.
    CORRECTION = "correction"
    # Paying back what the mistake cost the customer (the tow truck).
    REIMBURSEMENT = "reimbursement"

    # Members are singletons compared by identity, so identity hashing is the same and is done in C:
    # the engine looks remedies up in dicts thousands of times a replay.
    __hash__ = object.__hash__

    @property
    def label(self) -> str:
        """The remedy's name for staff, in English (marked for translation: the page translates it)."""
        return _LABELS[self]


_LABELS = {
    RemedyKind.APOLOGY: gettext_noop("Sincere apology and explanation"),
    RemedyKind.MANAGER_CALL: gettext_noop("Personal call from the manager"),
    RemedyKind.OWNER_CALL: gettext_noop("Personal call from the owner"),
    RemedyKind.HANDWRITTEN_CARD: gettext_noop("Handwritten card"),
    RemedyKind.FULL_REFUND: gettext_noop("Full refund"),
    RemedyKind.PARTIAL_REFUND: gettext_noop("Partial refund"),
    RemedyKind.DISCOUNT: gettext_noop("Discount on a future purchase"),
    RemedyKind.GIFT_CARD: gettext_noop("Gift card"),
    RemedyKind.FREE_REDO: gettext_noop("Free redo or replacement"),
    RemedyKind.FREE_ITEM: gettext_noop("A free item or gift sent to the customer"),
    RemedyKind.CORRECTION: gettext_noop("Correction of the overcharge"),
    RemedyKind.REIMBURSEMENT: gettext_noop("Reimbursement of the customer's costs"),
}


@dataclass(frozen=True)
class RemedyType:
    """One entry of the owner's catalogue."""

    kind: RemedyKind
    enabled: bool = True
    # What one unit of face value costs the business: a gift card is often not
    # spent in full, a discount is taken off a sale that makes a margin.
    cost_ratio: Decimal = Decimal(1)
    is_money: bool = True
    granted_by: Role = Role.FRONTLINE


DEFAULT_CATALOGUE: dict[RemedyKind, RemedyType] = {
    t.kind: t
    for t in [
        RemedyType(RemedyKind.APOLOGY, is_money=False, cost_ratio=Decimal(0)),
        # Any member of staff may arrange a call; the manager or owner then makes it.
        RemedyType(RemedyKind.MANAGER_CALL, is_money=False, cost_ratio=Decimal(0)),
        RemedyType(RemedyKind.OWNER_CALL, is_money=False, cost_ratio=Decimal(0)),
        RemedyType(RemedyKind.HANDWRITTEN_CARD, is_money=False, cost_ratio=Decimal(0)),
        RemedyType(RemedyKind.FULL_REFUND),
        RemedyType(RemedyKind.PARTIAL_REFUND),
        RemedyType(RemedyKind.DISCOUNT, cost_ratio=Decimal("0.6")),
        RemedyType(RemedyKind.GIFT_CARD, cost_ratio=Decimal("0.8")),
        RemedyType(RemedyKind.FREE_REDO, cost_ratio=Decimal("0.5")),
        RemedyType(RemedyKind.FREE_ITEM, cost_ratio=Decimal("0.5")),
    ]
}


@dataclass(frozen=True)
class Policy:
    """How generous recoveries are, who may grant how much, and the rules."""

    version: int = 1
    # Recoveries aim a little past the customer's loss (DOMAIN.md: 60-120% when the
    # customer rejected the service; loyalty rises up to about 150%, then falls).
    generosity: Decimal = Decimal("1.1")
    # A gesture when there is no price to return (the free dessert), by severity.
    gesture: dict[str, Decimal] = field(
        default_factory=lambda: {
            "minor": Decimal(0),
            "moderate": Decimal(10),
            "major": Decimal(25),
            "critical": Decimal(50),
        }
    )
    # A billing error is corrected in full and comes with at least this gesture.
    billing_gesture: Decimal = Decimal(5)
    # Compensation never exceeds this multiple of what the customer lost (base).
    max_multiple_of_base: Decimal = Decimal("1.5")
    # ... nor this share of the customer's yearly value, unless that would pay
    # less than the base: value never turns a fair remedy into an unfair one.
    max_share_of_yearly_value: Decimal = Decimal("0.5")
    authority: dict[Role, Decimal | None] = field(
        default_factory=lambda: {Role.FRONTLINE: Decimal(50), Role.MANAGER: Decimal(500), Role.OWNER: None}
    )
    # Hours within which the personal call for conduct failures and broken promises is made.
    personal_call_within_hours: int = 24
    # A future-purchase credit (discount or gift card) is worth less than money now,
    # so it is offered at this multiple of the cash amount.
    credit_multiple: Decimal = Decimal("1.25")
    # For a service the customer used despite the flaw: this share of the price, in full up to
    # `used_knee`, then growing more slowly (the first part of a partial amount gives the most;
    # Gelbrich et al. 2015). Not by severity: the price already raised the severity.
    used_share: Decimal = Decimal("0.25")
    used_knee: Decimal = Decimal(100)
    # A customer whose yearly value is not recorded counts as this typical customer, so knowing a
    # customer never gets them less than not knowing; from `high_value_from` a year, the manager calls.
    typical_yearly_value: Decimal = Decimal(600)
    high_value_from: Decimal = Decimal(2000)
    # When they lost part of what they paid for: this share of the price, then treated as if
    # they had lost all of a thing of that price.
    part_share: Decimal = Decimal("0.5")
    # What an hour of the customer's time is worth, added to the failure amount minute by minute.
    time_value_per_hour: Decimal = Decimal(10)
    # When it was for an occasion or a deadline, the aim rises by this share of what was lost:
    # 1.1 + 0.1 stays within the 60-120% the research finds works; the cap holds it below
    # `max_multiple_of_base` whatever the owner sets.
    occasion_extra: Decimal = Decimal("0.1")

    def at_location(self, typical_yearly_value: Decimal | None) -> "Policy":
        """The policy as a location reads it: its own typical customer's yearly value, if it has one."""
        if typical_yearly_value is None:
            return self
        return replace(self, typical_yearly_value=typical_yearly_value)

    def limit_for(self, role: Role, override: Decimal | None = None) -> Decimal | None:
        """The most a person may grant without approval (None: no limit)."""
        return override if override is not None else self.authority[role]

    def role_that_can_grant(self, amount: Decimal) -> Role:
        for role in Role:
            limit = self.authority[role]
            if limit is None or amount <= limit:
                return role
        return Role.OWNER


DEFAULT_POLICY = Policy()


# The range each value of a policy version may take. The policy page refuses a value outside it
# (the model's validators), and a version stored before these limits is read within them
# (`within_bounds`): a clock of 2,147,483,647 days overflowed every date it was added to, and made
# every close and approval fail for everyone.
MONEY_MAX = Decimal(10_000_000)
BOUNDS: dict[str, tuple[Decimal | int, Decimal | int]] = {
    "generosity": (Decimal("0.5"), Decimal(2)),
    "gesture_minor": (Decimal(0), Decimal(10_000)),
    "gesture_moderate": (Decimal(0), Decimal(10_000)),
    "gesture_major": (Decimal(0), Decimal(10_000)),
    "gesture_critical": (Decimal(0), Decimal(10_000)),
    "billing_gesture": (Decimal(0), Decimal(10_000)),
    "max_multiple_of_base": (Decimal(1), Decimal(10)),
    "max_share_of_yearly_value": (Decimal(0), Decimal(1)),
    "frontline_limit": (Decimal(0), MONEY_MAX),
    "manager_limit": (Decimal(0), MONEY_MAX),
    "owner_limit": (Decimal(0), MONEY_MAX),
    "monthly_budget_per_location": (Decimal(0), MONEY_MAX),
    "personal_call_within_hours": (1, 7 * 24),
    "credit_multiple": (Decimal(1), Decimal(3)),
    "used_share": (Decimal(0), Decimal(1)),
    "used_knee": (Decimal(0), Decimal(100_000)),
    "typical_yearly_value": (Decimal(0), MONEY_MAX),
    "high_value_from": (Decimal(0), MONEY_MAX),
    "callback_reminder_minutes": (0, 24 * 60),
    "callback_escalation_minutes": (1, 7 * 24 * 60),
    "remedy_delivery_hours": (1, 30 * 24),
    "satisfaction_check_days": (1, 90),
    "part_share": (Decimal(0), Decimal(1)),
    "time_value_per_hour": (Decimal(0), Decimal(1000)),
    "occasion_extra": (Decimal(0), Decimal("0.5")),
}


def within_bounds(name: str, value: Decimal | int | None) -> Decimal | int | None:
    """The value as a policy may hold it: a value stored before the limits is read at the nearest one."""
    if value is None or name not in BOUNDS:
        return value
    low, high = BOUNDS[name]
    return min(max(value, low), high)


def delivery_due(approved_at: datetime, within: timedelta, calendar: WorkingCalendar | None = None) -> datetime:
    """When an approved remedy is due to reach the customer: `within` (the policy's
    `remedy_delivery_hours`) after the approval, counted in the location's working time when
    given its calendar (the policy counts deadlines so), else on the wall clock. 48 hours from
    Friday 17:55 where the location shuts at 18:00 run into the next week, not to Sunday 17:55.
    Worked out once, when the remedy is approved (Proposal.deliver_by): the assignee's
    reminder and the dashboard's "past the delivery time" both read that."""
    return add_working_time(calendar, approved_at, within)


class PricedLine(Protocol):
    """A remedy line as the rules weigh it: suggestions.Line, or a proposal's line edited by staff."""

    @property
    def kind(self) -> RemedyKind: ...
    @property
    def face_value(self) -> Decimal: ...
    @property
    def cost(self) -> Decimal: ...


class StoredLine(Protocol):
    """A remedy line whose kind may still be its stored value ("gift_card"): totals.totals_of."""

    @property
    def kind(self) -> RemedyKind | str: ...
    @property
    def face_value(self) -> Decimal: ...
    @property
    def cost(self) -> Decimal: ...
