"""Two submits of the same form at the same moment log one case (PostgreSQL, real transactions)."""

import threading
import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from cases import services
from cases.models import Case
from customers.models import Customer
from customers.services import CustomerDetails

pytestmark = pytest.mark.django_db(transaction=True)


def race(target, count=2):
    barrier = threading.Barrier(count)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(target())
        except Exception as error:  # noqa: BLE001 - collected and asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results, errors


@pytest.mark.parametrize("new_customer", [False, True])
def test_the_same_submit_twice_at_once_logs_one_case(postgres, frontline, soho, customer, new_customer):
    token = uuid.uuid4()
    details = services.IncidentDetails(
        location_id=soho.pk,
        channel="in_person",
        category="delay",
        description="Cold food after a long wait.",
        occurred_at=timezone.now() - timedelta(minutes=5),
        order_value=Decimal("40"),
    )

    def submit():
        return services.case_open(
            actor=frontline,
            details=details,
            submission_token=token,
            customer=None if new_customer else customer,
            new_customer=CustomerDetails(name="Jane Doe", email="jane@example.com") if new_customer else None,
        )

    results, errors = race(submit)
    assert errors == []
    assert Case.objects.count() == 1
    assert sorted(created for _, created in results) == [False, True]
    assert len({case.pk for case, _ in results}) == 1
    assert Customer.objects.count() == (2 if new_customer else 1)
