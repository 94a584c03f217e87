"""Migrations 0008 and 0009: the timeline's old kinds get their public names, and its rows their location."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.models import Event
from tests.factories import CaseFactory

BEFORE, AFTER = ("cases", "0007_engine_facts"), ("cases", "0009_event_log_kinds")
OLD_ROWS = [
    ("opened", "Severity suggested: Minor.", "case.logged"),
    ("transition", "", "case.state_changed"),
    ("note", "Spoke to them.", "case.note_added"),
    ("followup", "Callback promised for Mon 1 Dec, 10:00.", "case.callback_promised"),
    ("followup", "Could not send “What we did”: refused", "followup.failed"),
    ("followup", "Satisfaction check: not scheduled. The customer has not agreed to be contacted.", "followup.skipped"),
    ("followup", "Tell the customer what we did: sent by email.", "followup.sent"),
    ("followup", "Done: Call back.", "followup.done"),
]


@pytest.mark.django_db(transaction=True)
def test_old_timeline_rows_get_public_kinds_and_their_case_s_location():
    case = CaseFactory()
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE])
        old = executor.loader.project_state([BEFORE]).apps.get_model("cases", "CaseEvent")
        for kind, note, _ in OLD_ROWS:
            old.objects.create(case_id=case.pk, kind=kind, note=note)
        executor = MigrationExecutor(connection)
        executor.migrate([AFTER])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    rows = Event.objects.filter(case=case).exclude(kind="case.logged", note="").order_by("id")
    migrated = [(row.note, row.kind) for row in rows if row.note or row.kind == "case.state_changed"]
    assert migrated[-len(OLD_ROWS) :] == [(note, new) for _, note, new in OLD_ROWS]
    assert set(rows.values_list("location_id", flat=True)) == {case.location_id}
