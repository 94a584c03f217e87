"""The follow-up dispatch benchmark runs end to end, small: a real worker, Redis, PostgreSQL."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Location
from followups.models import FollowUp
from tests.followups.workers import database_url


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_dispatch_benchmark_adds_its_entry_to_the_results(postgres, redis_url, tmp_path, monkeypatch):
    # The bench's worker reads its database from the environment, as in production.
    monkeypatch.setenv("DATABASE_URL", database_url())
    output = tmp_path / "results.json"
    output.write_text(json.dumps({"n_cases": 1000, "pages": {}}))
    call_command(
        "bench_dispatch",
        count=40,
        runs=2,
        lag_runs=0,
        broker=redis_url,
        concurrency=1,
        output=str(output),
        stdout=io.StringIO(),
    )
    results = json.loads(output.read_text())
    assert results["n_cases"] == 1000  # the page benchmark's figures stay
    entry = results["followup_dispatch"]
    assert (entry["count"], entry["runs"], entry["duplicates"], entry["missing"]) == (40, 2, 0, 0)
    assert 0 < entry["seconds_range"][0] <= entry["seconds"] <= entry["seconds_range"][1]
    assert entry["database"].startswith("PostgreSQL") and entry["p95_lag_seconds"] is None
    # It leaves nothing behind.
    assert not Location.objects.filter(code="bench-dispatch").exists() and not FollowUp.objects.exists()


def test_the_dispatch_benchmark_needs_redis(db):
    with pytest.raises(CommandError, match="needs Redis"):
        call_command("bench_dispatch", broker="filesystem://", stdout=io.StringIO())
