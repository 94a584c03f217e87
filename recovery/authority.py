"""Authority that cannot be walked around: what a case may be given back, and the budget lock.

A correction gives back money wrongly taken, so it is bounded by the overcharge the case records
(counting corrections already granted or waiting on the case); limits and the case cap weigh the
case as a whole (recovery/selectors.py `money_on_case`, recovery/suggestions.py `money_granted`);
and the budget is checked and spent by one approval at a time per location and month.
"""

from datetime import datetime
from decimal import Decimal

from django.db import connection

from cases.models import Case
from core.exceptions import ApplicationError
from core.money import format_money

from .policy import RemedyKind
from .selectors import MoneyOnCase, month_start
from .suggestions import Line

NO_OVERCHARGE = (
    "A correction gives back money we overcharged, and this case records no overcharge: "
    "choose a refund or another remedy instead."
)
ABOVE_OVERCHARGE = (
    "{asked} in corrections is more than is left of the {overcharge} overcharged on this case "
    "({left} left to give back): correct at most that, and give anything more as a remedy."
)

# Chosen over a row lock: there is no budget row for a month to lock (the budget sits on the
# location or the policy, and what is used is a sum of ledger rows), and locking the location's
# row would also hold up everything else written about that location. A transaction-level
# advisory lock keyed on location and month serialises exactly the check and the ledger write,
# touches no table, and is released at commit or rollback, whichever path approves the money.
# Under READ COMMITTED the next holder's queries see the ledger rows the last one committed.
BUDGET_LOCK = 1_112_884_295  # "BUDG": this lock's own namespace among advisory locks


def check_corrections(case: Case, lines: list[Line], on_case: MoneyOnCase) -> None:
    """A correction may only give back what the case says was overcharged, in all."""
    asked = sum((ln.face_value for ln in lines if ln.kind is RemedyKind.CORRECTION), Decimal(0))
    if not asked:
        return
    if case.overcharge <= 0:
        raise ApplicationError(NO_OVERCHARGE, field="lines")
    left = max(case.overcharge - on_case.corrections, Decimal(0))
    if asked > left:
        raise ApplicationError(
            ABOVE_OVERCHARGE.format(
                asked=format_money(asked), overcharge=format_money(case.overcharge), left=format_money(left)
            ),
            field="lines",
        )


def lock_budget(location_id: int, now: datetime) -> None:
    """Wait until no other transaction is checking or spending this location's budget for the
    month, and hold that until this transaction ends. SQLite serialises writers on its own."""
    if connection.vendor != "postgresql":
        return
    key = f"{location_id}:{month_start(now):%Y-%m}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", [BUDGET_LOCK, key])
