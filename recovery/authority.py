"""Authority that cannot be walked around: what a case may be given back, and the budget lock.

A correction gives back money wrongly taken, so it is bounded by the overcharge the case records
(counting corrections already granted or waiting on the case); limits and the case cap weigh the
case as a whole (recovery/selectors.py `money_on_case`, recovery/approval_rules.py `money_granted`);
and the budget is checked and spent by one approval at a time per location and month.
"""

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import works_at
from cases import events
from cases.events import Kind
from cases.models import Case
from cases.states import State
from core.exceptions import ApplicationError
from core.money import format_money

from .policy import RemedyKind
from .selectors import MoneyOnCase, money_on_case, month_start
from .suggestions import Line

NO_OVERCHARGE = _(
    "A correction gives back money we overcharged, and this case records no overcharge: "
    "choose a refund or another remedy instead."
)
ABOVE_OVERCHARGE = _(
    "{asked} in corrections is more than is left of the {overcharge} overcharged on this case "
    "({left} left to give back): correct at most that, and give anything more as a remedy."
)

NOT_YOUR_LOCATION = _("You do not work at this case's location.")
OVERCHARGE_CLOSED = _("The case is closed: reopen it to change what it records.")
OVERCHARGE_RANGE = _("An overcharge is an amount from 0 to {maximum}.")
OVERCHARGE_BELOW_CORRECTIONS = _(
    "{given} is already given back or waiting as corrections on this case: the overcharge cannot be less."
)

# Chosen over a row lock: there is no budget row for a month to lock (the budget sits on the
# location or the policy, and what is used is a sum of ledger rows), and locking the location's
# row would also hold up everything else written about that location. A transaction-level
# advisory lock keyed on location and month serialises exactly the check and the ledger write,
# touches no table, and is released at commit or rollback, whichever path approves the money.
# Under READ COMMITTED the next holder's queries see the ledger rows the last one committed.
BUDGET_LOCK = 1_112_884_295  # "BUDG": this lock's own namespace among advisory locks


def check_location(user: User, location_id: int) -> None:
    """Every recovery change is made by someone who works at the case's location (owners: any)."""
    if not works_at(user, location_id):
        raise ApplicationError(NOT_YOUR_LOCATION)


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


@transaction.atomic
def case_record_overcharge(*, case: Case, actor: User, amount: Decimal, now: datetime | None = None) -> Case:
    """Record how much the customer was overcharged (found after the case was logged, or put
    right): the most corrections may give back. Never less than the corrections already granted
    or waiting; the timeline keeps who changed it, and from what. The case row is locked, as
    proposal_create locks it, so a correction is always weighed against the figure that stands."""
    now = now or timezone.now()
    case = Case.objects.select_for_update(of=("self",)).get(pk=case.pk)
    check_location(actor, case.location_id)
    if case.state == State.CLOSED.value:
        raise ApplicationError(OVERCHARGE_CLOSED)
    if not Decimal(0) <= amount <= settings.AMENDS_MAX_AMOUNT:
        raise ApplicationError(OVERCHARGE_RANGE.format(maximum=format_money(settings.AMENDS_MAX_AMOUNT)))
    given = money_on_case(case.pk).corrections
    if amount < given:
        raise ApplicationError(OVERCHARGE_BELOW_CORRECTIONS.format(given=format_money(given)))
    if amount == case.overcharge:
        return case
    was, case.overcharge = case.overcharge, amount.quantize(Decimal("0.01"))
    case.save(update_fields=["overcharge", "updated_at"])
    events.record(
        kind=Kind.CASE_OVERCHARGE_RECORDED,
        case=case,
        actor=actor,
        now=now,
        note=f"Overcharge recorded: {format_money(case.overcharge)} (was {format_money(was)}), to be given back.",
        payload=events.OverchargeRecorded(before=was, after=case.overcharge),
    )
    return case
