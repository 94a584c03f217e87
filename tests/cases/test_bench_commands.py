"""The benchmark's two commands work end to end on a small data set."""

import io
import json

from django.core.management import call_command

from cases.models import Case, CaseEvent
from cases.states import State


def test_seed_bench_makes_consistent_cases_and_tops_up(db):
    call_command("seed_bench", cases=30, batch=7, stdout=io.StringIO())
    assert Case.objects.count() == 30
    assert CaseEvent.objects.filter(kind="opened").count() == 30
    closed = Case.objects.filter(state=State.CLOSED.value)
    assert not closed.filter(outcome="").exists()
    assert not Case.objects.exclude(state=State.CLOSED.value).exclude(outcome="").exists()
    call_command("seed_bench", cases=40, stdout=io.StringIO())
    assert Case.objects.count() == 40


def test_bench_writes_the_results(db, tmp_path):
    call_command("seed_bench", cases=30, stdout=io.StringIO())
    output = tmp_path / "results.json"
    call_command("bench", requests=2, warmup=1, output=str(output), stdout=io.StringIO())
    results = json.loads(output.read_text())
    assert results["n_cases"] == 30
    assert {
        "case_list",
        "case_list_filtered",
        "case_list_search",
        "case_detail",
        "customer_detail",
        "case_create",
    } <= set(results["pages"])
    for name, row in results["pages"].items():
        assert row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"]
        assert row["queries"] > 0 or name == "suggestion"  # the engine never touches the database
    assert results["pages"]["suggestion"]["queries"] == 0
    assert results["floor"]["p50_ms"] > 0
