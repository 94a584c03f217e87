"""The retention rule: a customer with no activity for AMENDS_CUSTOMER_RETENTION_DAYS is anonymised,
as if they had asked (privacy.services.customer_anonymise, recorded with the trigger "retention").

Activity is anything on their cases: a case logged or changed, any line on its timeline (a note, a
message sent or received, a follow-up, an answer, a remedy), a case still open, or a follow-up still
scheduled. A customer recorded more recently than the period is kept too."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cases.models import Case, Event
from cases.states import State
from customers.models import Customer
from followups.models import FollowUp
from followups.states import FollowUpState

from .services import BY_RETENTION, customer_anonymise

BATCH = 100


def customers_inactive(*, days: int, now: datetime) -> QuerySet[Customer]:
    """The customers not yet anonymised with no activity in the last `days` days, oldest first."""
    since = now - timedelta(days=days)
    recent_case = Case.objects.filter(customer=OuterRef("pk")).filter(
        Q(created_at__gte=since) | Q(updated_at__gte=since) | ~Q(state=State.CLOSED.value)
    )
    recent_line = Event.objects.filter(case__customer=OuterRef("pk"), created_at__gte=since)
    pending = FollowUp.objects.filter(case__customer=OuterRef("pk"), state=FollowUpState.SCHEDULED.value)
    return (
        Customer.objects.filter(anonymised_at__isnull=True, created_at__lt=since)
        .exclude(Exists(recent_case))
        .exclude(Exists(recent_line))
        .exclude(Exists(pending))
        .order_by("pk")
    )


@dataclass(frozen=True)
class RetentionReport:
    """What a run did: the period it applied (0: the rule is off) and the customers it
    anonymised, or would have (a dry run)."""

    days: int
    dry_run: bool
    customer_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        if not self.days:
            return "The retention rule is off (AMENDS_CUSTOMER_RETENTION_DAYS is 0)."
        verb = "would be anonymised" if self.dry_run else "anonymised"
        return f"{len(self.customer_ids)} customer(s) with no activity for {self.days} days {verb}."


def customers_retention_sweep(
    *, days: int | None = None, dry_run: bool = False, now: datetime | None = None, batch: int = BATCH
) -> RetentionReport:
    """Anonymise every customer inactive for `days` (the setting's by default; 0 does nothing),
    a batch at a time, each in its own transaction: a run cut short keeps what it did, and the
    next one starts from what is left. Running it twice anonymises nobody twice."""
    days = settings.AMENDS_CUSTOMER_RETENTION_DAYS if days is None else days
    now = now or timezone.now()
    if days <= 0:
        return RetentionReport(days=0, dry_run=dry_run)
    found = customers_inactive(days=days, now=now)
    if dry_run:
        return RetentionReport(days=days, dry_run=True, customer_ids=list(found.values_list("pk", flat=True)))
    done: list[int] = []
    while batch_of := list(found.filter(pk__gt=done[-1] if done else 0)[:batch]):
        for customer in batch_of:
            customer_anonymise(customer=customer, actor=None, trigger=BY_RETENTION, now=now)
            done.append(customer.pk)
    return RetentionReport(days=days, dry_run=False, customer_ids=done)
