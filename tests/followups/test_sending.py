"""Sending in chunks (each row still locked, guarded and committed on its own), and nothing
claimed is lost: what the broker refused is given back, a database that goes away is waited for."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from cases.models import Event
from followups import tasks
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import followup_claim_due, followup_send, followups_dispatch, lease, sending
from tests.factories import CaseFactory


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def due(case, count=3, **fields):
    past = timezone.now() - timedelta(minutes=1)
    return [
        FollowUp.objects.create(
            case=case,
            kind=FollowUp.Kind.CUSTOMER_MESSAGE,
            purpose=Purpose.REMEDY_MESSAGE.value,
            channel=FollowUp.Channel.EMAIL,
            subject="What we did",
            body=f"We refunded you ({number}).",
            due_at=past,
            **fields,
        ).pk
        for number in range(count)
    ]


def test_a_chunk_sends_each_of_its_follow_ups_once_and_says_how_many(case):
    ids = due(case)
    followup_send(followup_id=ids[0])
    assert tasks.followups_send_task(ids + ids) == 2  # the first was sent already; the repeats do nothing
    assert sorted(message.extra_headers["Message-ID"] for message in mail.outbox) == [
        f"<followup-{pk}@amends>" for pk in ids
    ]
    assert set(FollowUp.objects.values_list("state", flat=True)) == {"sent"}
    assert Event.objects.filter(case=case, kind=Event.Kind.FOLLOWUP_SENT).count() == 3


def test_a_sent_message_is_on_the_timeline_at_the_time_it_was_sent(case):
    [pk] = due(case, count=1)
    sent_at = timezone.now()
    assert followup_send(followup_id=pk, now=sent_at)
    event = Event.objects.get(case=case, kind=Event.Kind.FOLLOWUP_SENT)
    note = "Tell the customer what we did: sent by email."
    assert (event.created_at, event.actor, event.note) == (sent_at, None, note)
    assert FollowUp.objects.get(pk=pk).sent_at == sent_at
    # Newest last on the timeline, beside the rows the ORM wrote.
    assert list(case.events.order_by("created_at").values_list("pk", flat=True))[-1] == event.pk


def test_an_email_with_html_is_written_out_with_its_own_boundary(case):
    [pk] = due(case, count=1)
    followup_send(followup_id=pk)
    message = mail.outbox[0].message()
    raw, boundary = message.as_string(), message.get_boundary()
    assert boundary.startswith("===") and raw.count(f"--{boundary}") == 3  # two parts and the end


def test_a_failure_in_a_chunk_is_recorded_on_its_row_and_the_others_go(case, manager):
    ids = due(case)
    case.customer.contact_consent = False
    case.customer.save(update_fields=["contact_consent"])
    other = CaseFactory(location=case.location, created_by=case.created_by)
    ids += due(other, count=1)
    assert tasks.followups_send_task(ids) == 1
    refused = FollowUp.objects.filter(pk__in=ids[:3])
    assert {(row.state, row.sent_at, row.last_error) for row in refused} == {
        ("failed", None, "The customer has not agreed to be contacted.")
    }
    # The refused rows' mark was rolled back with their transaction: the timeline says only
    # that each could not be sent.
    notes = Event.objects.filter(case=case, kind__startswith="followup.").values_list("note", flat=True)
    assert list(notes) == ["Could not send “What we did”: The customer has not agreed to be contacted."] * 3
    assert FollowUp.objects.get(pk=ids[3]).state == "sent"


def test_a_chunk_out_of_time_gives_the_rest_back_to_the_next_sweep(case, monkeypatch):
    ids = due(case)
    assert followup_claim_due() == ids
    monkeypatch.setattr(tasks, "SEND_BUDGET_SECONDS", -1)
    assert tasks.followups_send_task(ids) == 0
    assert set(FollowUp.objects.values_list("state", "claimed_until", "attempts")) == {("scheduled", None, 0)}
    assert followup_claim_due() == ids


def test_the_dispatcher_rings_once_a_chunk_and_gives_back_what_the_broker_refused(case):
    ids = due(case, count=7)
    chunks = []

    def enqueue(chunk):
        if len(chunks) == 2:
            raise ConnectionError("the broker is down")
        chunks.append(chunk)

    with pytest.raises(ConnectionError):
        followups_dispatch(enqueue=enqueue, chunk=3)
    assert chunks == [ids[:3], ids[3:6]]
    # The seventh never reached the queue: claimable at once, its attempt given back.
    left = FollowUp.objects.get(pk=ids[6])
    assert (left.claimed_until, left.attempts) == (None, 0)
    assert set(FollowUp.objects.filter(pk__in=ids[:6]).values_list("attempts", flat=True)) == {0}
    assert followup_claim_due() == [ids[6]]


def test_a_chunk_that_loses_the_database_waits_for_it_and_carries_on_using_no_attempt(case, monkeypatch):
    ids = due(case, count=4)
    assert followup_claim_due() == ids
    real_send, outages, waits = sending.followup_send, [ids[1], ids[1], ids[2]], []

    def send(*, followup_id, **kwargs):
        if outages and outages[0] == followup_id:
            outages.pop(0)
            raise OperationalError("server closed the connection unexpectedly")
        return real_send(followup_id=followup_id, **kwargs)

    monkeypatch.setattr(sending, "followup_send", send)
    monkeypatch.setattr(sending, "_database_back", lambda **kwargs: waits.append(kwargs) or True)
    assert tasks.followups_send_task(ids) == 4
    assert len(waits) == 3
    assert set(FollowUp.objects.values_list("state", "attempts", "last_error")) == {("sent", 1, "")}
    assert sorted(message.extra_headers["Message-ID"] for message in mail.outbox) == [
        f"<followup-{pk}@amends>" for pk in ids
    ]


def test_a_chunk_whose_database_stays_away_gives_up_leaving_the_rows_to_their_short_lease(case, monkeypatch):
    ids = due(case, count=2)
    assert followup_claim_due() == ids

    def away(**kwargs):
        raise OperationalError("the database system is shutting down")

    monkeypatch.setattr(sending, "followup_send", away)
    monkeypatch.setattr(sending, "_database_back", lambda **kwargs: False)
    with pytest.raises(OperationalError):
        tasks.followups_send_task(ids)
    rows = FollowUp.objects.filter(pk__in=ids)
    assert {(row.state, row.attempts, row.last_error) for row in rows} == {("scheduled", 0, "")}
    assert all(row.claimed_until <= timezone.now() + lease() for row in rows)


def test_a_working_chunk_renews_the_lease_of_the_rows_it_has_still_to_send(case, monkeypatch):
    ids = due(case, count=3)
    start = timezone.now()
    assert followup_claim_due(now=start) == ids
    ticks = iter(range(0, 1000, 11))  # each look at the clock 11 s later: past a third of the 30 s lease
    renewed = []
    real_renew = sending.followups_renew

    def renew(*, ids, now=None):
        renewed.append(list(ids))
        return real_renew(ids=ids, now=now)

    monkeypatch.setattr(sending, "followups_renew", renew)
    assert sending.followups_send_chunk(ids=ids, budget_seconds=1000, clock=lambda: next(ticks)) == 3
    assert renewed == [ids, ids[1:], ids[2:]]


def test_a_fault_of_ours_on_one_row_is_that_rows_failure_and_the_others_go(case, monkeypatch, caplog):
    ids = due(case, count=3)
    real_send = sending.followup_send

    def send(*, followup_id, **kwargs):
        if followup_id == ids[0]:
            raise KeyError("placeholder")
        return real_send(followup_id=followup_id, **kwargs)

    monkeypatch.setattr(sending, "followup_send", send)
    assert tasks.followups_send_task(ids) == 2
    broken = FollowUp.objects.get(pk=ids[0])
    assert (broken.state, broken.attempts, broken.last_error) == ("scheduled", 1, "'placeholder'")
    assert broken.claimed_until > timezone.now()  # held back, to be tried again
    assert "Follow-up %s not sent, will retry" in [record.msg for record in caplog.records]
