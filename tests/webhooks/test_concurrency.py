"""On PostgreSQL: dispatchers running at once never claim the same delivery (SKIP LOCKED and the
lease), and fan-outs running at once make one delivery per event."""

import threading

import pytest
from django.db import connection

from accounts.role import Role
from cases import events
from cases.events import Kind
from tests.factories import CaseFactory, staff
from webhooks.models import Delivery
from webhooks.services import deliveries_claim_due, deliveries_fan_out, endpoint_create


def in_threads(work, count=4):
    results, errors = [], []

    def run():
        try:
            results.append(work())
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_dispatchers_at_once_claim_each_delivery_once_and_fan_out_once(postgres, settings, monkeypatch):
    settings.AMENDS_WEBHOOKS_ALLOW_PRIVATE = True
    # The doorbell would run a dispatch (eagerly, in tests) after each commit: the threads do it here.
    monkeypatch.setattr("webhooks.tasks.webhooks_dispatch_task.apply_async", lambda **kwargs: None)
    owner = staff(Role.OWNER, username="olga")
    endpoint = endpoint_create(actor=owner, url="http://127.0.0.1:9/hook", kinds=[Kind.CASE_NOTE_ADDED])
    cases = [CaseFactory() for _ in range(40)]
    for case in cases:
        events.record(kind=Kind.CASE_NOTE_ADDED, payload=events.Empty(), case=case, note="n")
    in_threads(lambda: deliveries_fan_out(batch=7))
    assert Delivery.objects.filter(endpoint=endpoint).count() == 40
    claimed = in_threads(lambda: deliveries_claim_due(batch=15))
    every = [pk for ids in claimed for pk in ids]
    assert len(every) == len(set(every)) == 40
