"""Writing the recovery side: one function per change, each in one transaction.

A proposal is created from a suggestion (or an edited one), approved on the
spot within the proposer's authority or sent to a manager or owner, decided
once, and delivered line by line. Every step writes the case's timeline and
the ledger in the same transaction; mail goes out only after commit.

A package, one module per topic (as followups/services is): lines (what a proposal offers and
its bounds), proposals, decisions, delivery, publishing.
"""

from ..authority import case_record_overcharge
from ..selectors import suggestions_for
from .decisions import (
    ALREADY_DECIDED,
    CHANGED_SINCE,
    NEEDS_OWNER,
    NOT_AN_APPROVER,
    OWN_PROPOSAL,
    REASON_NEEDED,
    proposal_amend,
    proposal_decide,
)
from .delivery import (
    remedy_deliver,
)
from .lines import (
    DISABLED,
    MONEY_KINDS,
    NEGATIVE,
    NO_LINES,
    NOT_MONEY,
    PERCENT_NO_BASE,
    PERCENT_ONLY_DISCOUNT,
    PERCENT_RANGE,
    TOO_LARGE,
    TOO_LARGE_IN_ALL,
    LineInput,
)
from .proposals import (
    ALREADY_PENDING,
    BELOW_FLOOR,
    CASE_NOT_OPEN_FOR_REMEDY,
    SUGGESTION_GONE,
    proposal_create,
    proposal_take,
)
from .publishing import (
    policy_publish,
)

__all__ = [
    "ALREADY_DECIDED",
    "ALREADY_PENDING",
    "BELOW_FLOOR",
    "CASE_NOT_OPEN_FOR_REMEDY",
    "CHANGED_SINCE",
    "DISABLED",
    "LineInput",
    "MONEY_KINDS",
    "NEEDS_OWNER",
    "NEGATIVE",
    "NOT_AN_APPROVER",
    "NOT_MONEY",
    "NO_LINES",
    "OWN_PROPOSAL",
    "PERCENT_NO_BASE",
    "PERCENT_ONLY_DISCOUNT",
    "PERCENT_RANGE",
    "REASON_NEEDED",
    "SUGGESTION_GONE",
    "TOO_LARGE",
    "TOO_LARGE_IN_ALL",
    "case_record_overcharge",
    "policy_publish",
    "proposal_amend",
    "proposal_create",
    "proposal_decide",
    "proposal_take",
    "remedy_deliver",
    "suggestions_for",
]
