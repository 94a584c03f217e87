"""The retention rule: customers with no activity for the period are anonymised, nightly, in
batches, once; off by default; `manage.py customers_retention [--dry-run]` runs it by hand."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from cases.models import Case, Event
from customers.models import Customer
from privacy.retention import customers_retention_sweep
from privacy.tasks import customers_retention_sweep_task
from tests.factories import CaseFactory, CustomerFactory, EventFactory, SentCustomerMessageFactory

pytestmark = pytest.mark.django_db
LONG_AGO = timedelta(days=400)


def dormant(soho, **case):
    """A customer whose one case closed long ago, and nothing since."""
    customer = CustomerFactory(home_location=soho)
    then = timezone.now() - LONG_AGO
    made = CaseFactory(customer=customer, location=soho, **case)
    EventFactory(case=made, created_at=then)
    Case.objects.filter(pk=made.pk).update(
        created_at=then, updated_at=then, state="closed", closed_at=then, outcome="retained"
    )
    Customer.objects.filter(pk=customer.pk).update(created_at=then)
    return customer, made


def anonymised(customer) -> bool:
    customer.refresh_from_db()
    return customer.anonymised_at is not None


def test_the_rule_is_off_by_default(soho):
    customer, _ = dormant(soho)
    report = customers_retention_sweep()
    assert report.days == 0 and report.customer_ids == []
    assert not anonymised(customer)


def test_a_customer_inactive_for_the_period_is_anonymised_and_it_is_recorded(soho, settings):
    settings.AMENDS_CUSTOMER_RETENTION_DAYS = 365
    customer, case = dormant(soho)
    assert customers_retention_sweep().customer_ids == [customer.pk]
    assert anonymised(customer)
    entry = Event.objects.get(kind=Event.Kind.CUSTOMER_ERASED)
    assert entry.actor is None and entry.payload["trigger"] == "retention"
    assert case.events.filter(kind=Event.Kind.CUSTOMER_ANONYMISED).exists()


@pytest.mark.parametrize(
    "activity",
    ["a note last month", "a case still open", "a follow-up scheduled", "recorded last month", "a case logged lately"],
)
def test_any_activity_keeps_a_customer(activity, soho):
    customer, case = dormant(soho)
    recently = timezone.now() - timedelta(days=30)
    if activity == "a note last month":
        EventFactory(case=case, created_at=recently)
    elif activity == "a case still open":
        Case.objects.filter(pk=case.pk).update(state="in_recovery", closed_at=None, outcome="")
    elif activity == "a follow-up scheduled":
        SentCustomerMessageFactory(case=case, state="scheduled", sent_at=None, due_at=timezone.now() + LONG_AGO)
    elif activity == "recorded last month":
        Case.objects.filter(pk=case.pk).delete()
        Customer.objects.filter(pk=customer.pk).update(created_at=recently)
    else:
        CaseFactory(
            customer=customer, location=soho, created_at=recently, state="closed", closed_at=recently, outcome="lost"
        )
    # Follow-ups and cases made by the factories are "now" where not set: only the activity named is recent.
    assert customers_retention_sweep(days=365).customer_ids == []
    assert not anonymised(customer)


def test_a_customer_with_no_case_recorded_long_ago_is_anonymised(soho):
    customer = CustomerFactory(home_location=soho)
    Customer.objects.filter(pk=customer.pk).update(created_at=timezone.now() - LONG_AGO)
    assert customers_retention_sweep(days=365).customer_ids == [customer.pk]


def test_batches_go_on_until_none_is_left_and_a_second_run_does_nothing(soho):
    customers = [dormant(soho)[0] for _ in range(5)]
    assert customers_retention_sweep(days=365, batch=2).customer_ids == [c.pk for c in customers]
    assert customers_retention_sweep(days=365, batch=2).customer_ids == []
    assert Event.objects.filter(kind=Event.Kind.CUSTOMER_ERASED).count() == 5


def test_the_command_says_who_on_a_dry_run_and_changes_nothing(soho):
    customer, _ = dormant(soho)
    out = StringIO()
    call_command("customers_retention", "--days", "365", "--dry-run", stdout=out)
    assert f"would anonymise customer {customer.pk}" in out.getvalue()
    assert "Dry run: 1 customer(s)" in out.getvalue()
    assert not anonymised(customer)
    call_command("customers_retention", "--days", "365", stdout=StringIO())
    assert anonymised(customer)


def test_the_task_runs_the_sweep_with_the_setting(soho, settings):
    settings.AMENDS_CUSTOMER_RETENTION_DAYS = 365
    customer, _ = dormant(soho)
    assert customers_retention_sweep_task.delay().get() == 1
    assert anonymised(customer)


def test_beat_runs_it_every_night():
    entry = PeriodicTask.objects.get(task="privacy.retention_sweep")
    assert entry.enabled and entry.crontab is not None and (entry.crontab.hour, entry.crontab.minute) == ("4", "15")
