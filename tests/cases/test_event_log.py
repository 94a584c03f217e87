"""The event log has one writer, a payload type per kind, and readers that go by kind."""

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from cases import events
from cases.events import Kind
from cases.models import Event
from tests.factories import CaseFactory, staff

ROOT = Path(settings.BASE_DIR)
# Every first-party app; the writer itself, migrations and the benchmark's bulk seeding aside.
APPS = [
    "accounts",
    "cases",
    "config",
    "core",
    "corrective",
    "customers",
    "dashboard",
    "followups",
    "portal",
    "recovery",
]
WRITER = ROOT / "cases" / "events.py"
WRITES = {"create", "bulk_create", "get_or_create", "update_or_create"}


def _sql_insert(text: str) -> bool:
    return bool(re.search(r"insert\s+into", text, re.IGNORECASE)) or "cases_event" in text


def other_inserts(source: str) -> list[str]:
    """Where this source writes an event row other than through cases.events."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"Event", "CaseEvent"}:
                found.append(f"line {node.lineno}: Event(...)")
            if isinstance(func, ast.Attribute) and func.attr in WRITES:
                chain = ast.unparse(func.value)
                if chain.endswith(("Event.objects", "events", "Event._default_manager")):
                    found.append(f"line {node.lineno}: {chain}.{func.attr}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _sql_insert(node.value):
            found.append(f"line {node.lineno}: SQL {node.value[:40]!r}")
    return found


def test_the_finder_finds_each_way_of_writing_a_row():
    assert len(other_inserts("Event.objects.create(case=c)\ncase.events.create(kind='x')")) == 2
    assert len(other_inserts("Event.objects.bulk_create([])\nEvent(case=c).save()")) == 2
    assert len(other_inserts("cursor.execute('INSERT INTO cases_event VALUES (1)')")) == 1
    assert other_inserts("events.record(kind=k, payload=p)\nEvent.objects.filter(pk=1)") == []


def test_nothing_but_the_writer_inserts_an_event_row():
    assert len(APPS) >= 10
    offenders = {}
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts or path == WRITER:
                continue
            if found := other_inserts(path.read_text()):
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_every_kind_has_a_payload_type_and_a_public_name():
    assert set(events.PAYLOADS) == set(Kind.values)
    for kind in Kind.values:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", kind), kind


def test_a_kind_refuses_another_kinds_payload(db):
    with pytest.raises(TypeError, match="case.assigned carries a Assigned"):
        events.record(kind=Kind.CASE_ASSIGNED, payload=events.Empty(), case=CaseFactory())
    assert not Event.objects.filter(kind=Kind.CASE_ASSIGNED).exists()


def test_money_and_times_are_kept_as_strings_an_api_can_show(db):
    case = CaseFactory()
    at = timezone.now()
    event = events.record(
        kind=Kind.CASE_CALLBACK_PROMISED, case=case, payload=events.CallbackPromised(at=at), note="Call"
    )
    overcharge = events.record(
        kind=Kind.CASE_OVERCHARGE_RECORDED,
        case=case,
        payload=events.OverchargeRecorded(before=Decimal(0), after=Decimal("12.50")),
    )
    event.refresh_from_db()
    overcharge.refresh_from_db()
    assert event.payload == {"at": at.isoformat(), "before": None}
    assert overcharge.payload == {"before": "0", "after": "12.50"}
    assert (event.location_id, overcharge.location_id) == (case.location_id, case.location_id)


def test_the_fast_path_writes_the_same_row_as_the_writer(db):
    case = CaseFactory()
    now = timezone.now()
    payload = events.FollowupSent(followup_id=7, purpose="remedy_message", channel="email")
    events.record_fast(
        kind=Kind.FOLLOWUP_SENT, payload=payload, case_id=case.pk, location_id=case.location_id, note="Sent.", now=now
    )
    slow = events.record(kind=Kind.FOLLOWUP_SENT, payload=payload, case=case, note="Sent.", now=now)
    fast = Event.objects.exclude(pk=slow.pk).get(case=case)
    fields = ["case_id", "location_id", "kind", "created_at", "ip", "subject", "note", "payload", "actor_id"]
    assert {name: getattr(fast, name) for name in fields} == {name: getattr(slow, name) for name in fields}


def test_a_reaction_cannot_be_skipped_by_the_fast_or_bulk_paths(db):
    case = CaseFactory()
    payload = events.CaseLogged("open", "minor", "minor", "phone", "delay", case.customer_id)
    with pytest.raises(ValueError, match="has reactions"):
        events.record_fast(
            kind=Kind.CASE_LOGGED, payload=payload, case_id=case.pk, location_id=case.location_id, note="", now=None
        )
    with pytest.raises(ValueError, match="has reactions"):
        events.record_each(kind=Kind.CASE_LOGGED, payload=payload, case_ids=[case.pk], note="", now=timezone.now())


def test_the_request_s_address_is_kept_with_the_change(soho, frontline):
    from tests.conftest import signed_in

    case = CaseFactory(location=soho, created_by=frontline)
    client = signed_in(frontline)
    response = client.post(
        case.get_absolute_url(),
        {"action": "note", "note": "Rang them back."},
        REMOTE_ADDR="203.0.113.9",
    )
    assert response.status_code in (200, 302)
    note = case.events.get(kind=Kind.CASE_NOTE_ADDED)
    assert (note.actor, note.ip, note.note) == (frontline, "203.0.113.9", "Rang them back.")


def test_a_case_page_timeline_reads_kinds_not_words(soho, frontline):
    from tests.conftest import signed_in

    case = CaseFactory(location=soho, created_by=frontline)
    events.record(
        kind=Kind.CASE_STATE_CHANGED,
        case=case,
        actor=frontline,
        from_state="open",
        to_state="in_recovery",
        payload=events.StateChanged(before="open", after="in_recovery"),
    )
    page = signed_in(frontline).get(case.get_absolute_url()).content.decode()
    assert "Open → In recovery" in page


def test_the_log_is_append_only_in_postgres_too(postgres):
    # Same row written through both paths on PostgreSQL (jsonb payload, inet address).
    case = CaseFactory()
    events.record_fast(
        kind=Kind.FOLLOWUP_SENT,
        payload=events.FollowupSent(followup_id=1, purpose="remedy_message", channel="sms"),
        case_id=case.pk,
        location_id=case.location_id,
        note="Sent.",
        now=timezone.now(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT payload->>'channel' FROM cases_event WHERE case_id = %s", [case.pk])
        assert cursor.fetchone() == ("sms",)


def test_staff_who_act_are_named_on_the_event(db, soho):
    person = staff("Frontline", soho)
    case = CaseFactory(location=soho, created_by=person)
    event = events.record(kind=Kind.CASE_NOTE_ADDED, case=case, actor=person, note="x", payload=events.Empty())
    assert event.actor == person and event.ip is None  # no request: the system's address is none
