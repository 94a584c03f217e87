"""The benchmark's two commands work end to end on a small data set (SQLite or PostgreSQL)."""

import io
import json

from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from cases.models import Case, CaseEvent
from cases.severity import HarmFacts, assess_severity
from cases.states import State
from customers.models import Customer


def seed(cases: int, **options) -> None:
    call_command("seed_bench", cases=cases, stdout=io.StringIO(), stderr=io.StringIO(), **options)


def test_seed_bench_makes_cases_that_keep_the_apps_rules(db):
    seed(30, batch=7)
    assert Case.objects.count() == 30
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.OPENED).count() == 30
    closed = Case.objects.filter(state=State.CLOSED.value)
    assert closed.exists()
    assert not closed.filter(outcome="").exists() and not closed.filter(closed_at__isnull=True).exists()
    assert not Case.objects.exclude(state=State.CLOSED.value).exclude(outcome="").exists()
    now = timezone.now()
    assert not Case.objects.filter(created_at__gt=now).exists()
    assert not Case.objects.filter(closed_at__gt=now).exists()
    assert not Case.objects.filter(first_contact_at__gt=now).exists()
    assert not Case.objects.filter(sla_due_at__lt=F("created_at")).exists()
    for case in Case.objects.all():
        facts = HarmFacts(
            loss=case.order_value,
            hidden_costs=case.hidden_costs,
            experience_ruined=case.experience_ruined,
            treated_poorly=case.treated_poorly,
            repeat_incident=case.repeat_incident,
        )
        assert case.suggested_severity == assess_severity(facts).severity.value
    emails = [email for email in Customer.objects.values_list("email", flat=True) if email]
    assert emails == [email.lower() for email in emails] and len(set(emails)) == len(emails)


def test_seed_bench_tops_up_to_n_and_resets(db):
    seed(30)
    seed(40)
    assert Case.objects.count() == 40
    seed(20)  # fewer than there are: nothing added, nothing removed
    assert Case.objects.count() == 40
    seed(10, reset=True)
    assert Case.objects.count() == 10


def test_bench_writes_the_results(db, tmp_path):
    seed(30)
    output = tmp_path / "results.json"
    call_command("bench", requests=3, warmup=1, output=str(output), stdout=io.StringIO(), stderr=io.StringIO())
    results = json.loads(output.read_text())
    assert results["n_cases"] == 30
    assert results["database"] == connection.vendor
    assert {"cores", "python", "django"} <= set(results["machine"])
    assert {
        "case_list",
        "case_list_manager",
        "case_list_filtered",
        "case_list_search",
        "case_detail",
        "customer_detail",
        "case_create",
    } <= set(results["pages"])
    for name, row in results["pages"].items():
        assert 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["ratio_to_floor_p50"] > 0
        assert row["queries"] > 0 or name == "suggestion"  # the engine never touches the database
    assert results["pages"]["suggestion"]["queries"] == 0
    assert 0 < results["floor"]["p50_ms"] <= results["floor"]["p95_ms"]
