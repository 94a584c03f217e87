"""The event log delivered: signed, filtered by kind and location, from the log by id (the
fast paths too), in order per case, retried with backoff, failed after a day and told."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, transaction
from standardwebhooks import Webhook

from cases import events
from cases.events import Kind
from cases.models import Event
from core.models import Notification
from tests.factories import CaseFactory
from tests.webhooks.conftest import CASE_KINDS, dispatch, note
from webhooks import messages
from webhooks.models import Delivery, Endpoint
from webhooks.services import (
    deliveries_claim_due,
    deliveries_fan_out,
    deliveries_replay,
    deliveries_send,
    endpoint_create,
    endpoint_update,
)

START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def endpoint(owner, receiver, local_network):
    # The case's kinds: the factories' users and locations are logged too.
    made = endpoint_create(actor=owner, url=receiver.url, kinds=CASE_KINDS)
    receiver.secret = made.secret
    return made


def test_the_signature_is_the_standard_webhooks_one():
    secret = messages.new_secret()
    body = messages.encode({"id": "evt_1", "kind": "case.logged"})
    headers = messages.signed_headers(secret=secret, webhook_id="evt_1", body=body, now=datetime.now(UTC))
    assert secret.startswith("whsec_")
    assert Webhook(secret).verify(body, headers) == {"id": "evt_1", "kind": "case.logged"}
    assert headers["webhook-signature"].startswith("v1,")
    with pytest.raises(Exception, match="signature"):
        Webhook(messages.new_secret()).verify(body, headers)


def test_a_case_event_is_delivered_signed_with_what_happened(endpoint, receiver, soho):
    case = CaseFactory(location=soho)
    event = note(case, "Called the customer")
    assert dispatch() == 1
    [got] = receiver.accepted
    assert got.verified and got.webhook_id == f"evt_{event.pk}"
    assert got.body["kind"] == "case.note_added"
    assert got.body["case"] == {"id": case.pk, "reference": case.reference}
    assert got.body["location"]["code"] == soho.code
    assert datetime.fromisoformat(got.body["created_at"]).utcoffset() is not None
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert (delivery.state, delivery.last_status, delivery.attempts) == ("delivered", 204, 1)
    assert delivery.last_duration_ms is not None


def test_only_the_kinds_wanted_are_delivered(owner, receiver, local_network, soho):
    endpoint = endpoint_create(actor=owner, url=receiver.url, kinds=[Kind.CASE_STATE_CHANGED])
    case = CaseFactory(location=soho)
    note(case)
    changed = events.record(
        kind=Kind.CASE_STATE_CHANGED, case=case, payload=events.StateChanged(before="open", after="in_progress")
    )
    deliveries_fan_out()
    assert list(Delivery.objects.filter(endpoint=endpoint).values_list("event_id", flat=True)) == [changed.pk]


def test_an_endpoint_for_a_location_gets_only_that_locations_events(owner, receiver, local_network, soho, camden):
    endpoint = endpoint_create(actor=owner, url=receiver.url, locations=[soho])
    here = note(CaseFactory(location=soho))
    note(CaseFactory(location=camden))
    deliveries_fan_out()
    assert list(Delivery.objects.filter(endpoint=endpoint).values_list("event_id", flat=True)) == [here.pk]


def test_the_fast_paths_without_reactions_are_delivered_too(endpoint, soho):
    case = CaseFactory(location=soho)
    events.record_fast(
        kind=Kind.FOLLOWUP_SENT,
        payload=events.FollowupSent(followup_id=1, purpose="apology", channel="email"),
        case_id=case.pk,
        location_id=soho.pk,
        note="sent",
        now=START,
    )
    events.record_each(kind=Kind.CASE_NOTE_ADDED, payload=events.Empty(), case_ids=[case.pk], note="x", now=START)
    deliveries_fan_out()
    kinds = set(Delivery.objects.filter(endpoint=endpoint).values_list("event__kind", flat=True))
    assert kinds == {Kind.FOLLOWUP_SENT, Kind.CASE_NOTE_ADDED}


def test_an_endpoint_gets_the_events_from_its_registration_not_the_past(owner, receiver, local_network, soho):
    note(CaseFactory(location=soho))
    endpoint = endpoint_create(actor=owner, url=receiver.url, kinds=[Kind.CASE_NOTE_ADDED])
    deliveries_fan_out()
    assert not Delivery.objects.filter(endpoint=endpoint).exists()


def test_an_event_that_commits_after_a_later_one_is_still_delivered(endpoint, soho):
    """Ids are taken in one order and committed in another: the fan-out looks back past its
    cursor until a transaction open then has had time to commit. Here the earlier event's row
    is put back as if it had just committed (its delivery missing) after a fan-out saw the later one."""
    case = CaseFactory(location=soho)
    earlier, later = note(case), note(case)
    deliveries_fan_out()
    Delivery.objects.filter(event=earlier).delete()
    deliveries_fan_out()
    assert set(Delivery.objects.values_list("event_id", flat=True)) >= {earlier.pk, later.pk}


def test_fanning_out_twice_makes_one_delivery_per_event(endpoint, soho):
    note(CaseFactory(location=soho))
    deliveries_fan_out()
    Endpoint.objects.filter(pk=endpoint.pk).update(cursor=0, scanned_to=0)
    deliveries_fan_out()
    assert Delivery.objects.filter(endpoint=endpoint).count() == 1


def test_a_later_event_of_a_case_waits_for_the_earlier_one(endpoint, receiver, soho):
    case, other = CaseFactory(location=soho), CaseFactory(location=soho)
    first, second, elsewhere = note(case), note(case), note(other)
    deliveries_fan_out()
    claimed = deliveries_claim_due()
    assert set(Delivery.objects.filter(pk__in=claimed).values_list("event_id", flat=True)) == {first.pk, elsewhere.pk}
    receiver.mode = "fail"
    deliveries_send(ids=claimed)
    # The first failed and waits for its retry: the second is not sent before it.
    assert deliveries_claim_due(now=datetime.now(UTC) + timedelta(seconds=5)) == []
    receiver.mode = "ok"
    retried = deliveries_claim_due(now=datetime.now(UTC) + timedelta(minutes=2))
    assert set(Delivery.objects.filter(pk__in=retried).values_list("event_id", flat=True)) == {first.pk, elsewhere.pk}
    deliveries_send(ids=retried, now=lambda: datetime.now(UTC) + timedelta(minutes=2))
    then = deliveries_claim_due(now=datetime.now(UTC) + timedelta(minutes=3))
    assert list(Delivery.objects.filter(pk__in=then).values_list("event_id", flat=True)) == [second.pk]


def test_a_url_refused_at_send_time_is_not_requested(endpoint, receiver, settings, soho):
    """Registered while private addresses were allowed; no longer: checked again at each send."""
    note(CaseFactory(location=soho))
    settings.AMENDS_WEBHOOKS_ALLOW_PRIVATE = False
    dispatch()
    delivery = Delivery.objects.get(endpoint=endpoint)
    assert receiver.received == []
    assert (delivery.state, delivery.last_status) == ("pending", None)
    assert "private" in delivery.last_error or "https" in delivery.last_error


def test_a_receiver_down_for_an_hour_gets_every_event_once_in_order_per_case(endpoint, receiver, soho):
    """The real receiver: it fails (500) for a while, then is down (refusing connections) for an
    hour, then recovers; with time moved for the backoff, every event reaches it exactly once
    (each try of an event carries the same webhook-id), each case's events in their order."""
    with time_machine.travel(START, tick=False) as clock:
        cases = [CaseFactory(location=soho) for _ in range(3)]
        recorded = {case.pk: [note(case, f"step {step}").pk for step in range(3)] for case in cases}
        receiver.mode = "fail"
        dispatch()
        assert receiver.received and not receiver.accepted
        clock.shift(timedelta(minutes=2))
        dispatch()
        receiver.stop()
        for _ in range(60):  # an hour down, the dispatcher running every minute
            clock.shift(timedelta(minutes=1))
            dispatch()
        receiver.mode = "ok"
        receiver.start()
        for _ in range(200):
            clock.shift(timedelta(minutes=1))
            dispatch()
            if not Delivery.objects.filter(state="pending").exists():
                break
    assert all(item.verified for item in receiver.received)
    ids = [item.webhook_id for item in receiver.accepted]
    assert sorted(ids) == sorted(f"evt_{pk}" for pks in recorded.values() for pk in pks)  # each exactly once
    for pks in recorded.values():
        assert [i for i in ids if int(i.removeprefix("evt_")) in pks] == [f"evt_{pk}" for pk in pks]
    tries = [item.webhook_id for item in receiver.received if item.status == 500]
    assert set(tries) <= set(ids)  # the failed tries carried the ids later accepted
    assert Delivery.objects.filter(state="delivered").count() == 9
    assert Delivery.objects.filter(attempts__gt=1).exists()


def test_a_day_of_failures_marks_it_failed_tells_the_owners_and_a_replay_sends_it(endpoint, receiver, owner, soho):
    receiver.mode = "fail"
    with time_machine.travel(START, tick=False) as clock:
        note(CaseFactory(location=soho))
        for _ in range(30):
            dispatch()
            clock.shift(timedelta(hours=1))
        dispatch()
        delivery = Delivery.objects.get(endpoint=endpoint)
        assert delivery.state == "failed" and delivery.last_status == 500
        assert 10 < delivery.attempts < 40
        [told] = Notification.objects.filter(user=owner)
        assert endpoint.url in told.text and str(endpoint.pk) in told.url
        receiver.mode = "ok"
        assert deliveries_replay(endpoint=endpoint, actor=owner) == 1
        dispatch()
    delivery.refresh_from_db()
    assert delivery.state == "delivered" and receiver.accepted[-1].webhook_id == delivery.webhook_id


def test_a_sent_row_is_not_sent_again(endpoint, receiver, soho):
    note(CaseFactory(location=soho))
    deliveries_fan_out()
    claimed = deliveries_claim_due()
    deliveries_send(ids=claimed)
    deliveries_send(ids=claimed)  # the same chunk redelivered by the broker
    assert len(receiver.received) == 1


def test_the_log_rings_the_doorbell_once_per_transaction_after_commit(transactional_db, endpoint, monkeypatch):
    rung = []
    monkeypatch.setattr("webhooks.tasks.webhooks_dispatch_task.apply_async", lambda **kwargs: rung.append(kwargs))
    case = CaseFactory()
    cache.clear()
    rung.clear()
    with transaction.atomic():
        note(case)
        events.record_fast(
            kind=Kind.FOLLOWUP_SENT,
            payload=events.FollowupSent(followup_id=1, purpose="apology", channel="email"),
            case_id=case.pk,
            location_id=case.location_id,
            note="sent",
            now=START,
        )
        assert rung == []  # not before the commit
    assert len(rung) == 1
    note(case)  # another transaction within the second: the dispatcher already due sees it
    assert len(rung) == 1


def test_with_no_active_endpoint_the_doorbell_stays_quiet(transactional_db, endpoint, owner, monkeypatch):
    rung = []
    monkeypatch.setattr("webhooks.tasks.webhooks_dispatch_task.apply_async", lambda **kwargs: rung.append(kwargs))
    endpoint_update(endpoint=endpoint, actor=owner, url=endpoint.url, kinds=endpoint.kinds, is_active=False)
    cache.clear()
    note(CaseFactory())
    assert rung == []  # neither the cache nor the broker asked
    endpoint_update(endpoint=endpoint, actor=owner, url=endpoint.url, kinds=endpoint.kinds, is_active=True)
    cache.clear()
    rung.clear()
    note(CaseFactory())
    assert len(rung) == 1  # heard at once in the process that changed it


def test_payload_is_json_with_the_event_payload(endpoint, receiver, soho):
    case = CaseFactory(location=soho)
    events.record(
        kind=Kind.CASE_STATE_CHANGED,
        case=case,
        payload=events.StateChanged(before="open", after="closed", outcome="resolved"),
    )
    dispatch()
    assert receiver.accepted[0].body["payload"] == {
        "before": "open",
        "after": "closed",
        "outcome": "resolved",
        "first_contact": False,
    }
    assert json.dumps(receiver.accepted[0].body)
    assert connection.vendor in ("sqlite", "postgresql")
    assert Event.objects.count() >= 1


def test_a_paused_endpoint_gets_nothing_until_it_is_active_again(endpoint, receiver, soho):
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    event = note(CaseFactory(location=soho))
    dispatch()
    assert receiver.received == [] and not Delivery.objects.exists()
    Endpoint.objects.filter(pk=endpoint.pk).update(is_active=True)
    dispatch()
    assert [item.webhook_id for item in receiver.accepted] == [f"evt_{event.pk}"]
