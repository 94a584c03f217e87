"""A location's budget in force, in plain Python (a test keeps it free of Django): one rule for
the budget page, the dashboards, approvals and the what-if replay."""

from decimal import Decimal


def budget_in_force(location_budget: Decimal | None, policy_budget: Decimal) -> Decimal:
    """A location's monthly budget: its own when it has one, else the policy's for every location."""
    return policy_budget if location_budget is None else location_budget
