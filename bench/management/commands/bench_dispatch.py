"""Measure follow-up dispatch with a real worker and broker, and add it to benchmarks/results.json.

    python manage.py bench_dispatch [--count 10000] [--runs 3] [--lag-runs 1] [--spread-minutes 3]
                                    [--broker redis://127.0.0.1:6379/14] [--pool prefork] [--concurrency 2]

Needs Redis (`--broker`, else BENCH_BROKER_URL, else CELERY_BROKER_URL): use a
database number nobody else uses, as the worker consumes the default queue. It
uses the database DATABASE_URL names, and writes the entry `followup_dispatch`
into `--output` (benchmarks/results.json), keeping what else is there. See
bench/dispatch.py for what is measured.
"""

import json
import os
import platform
import statistics
from datetime import timedelta
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from bench.dispatch import BenchFailed, Celeries, Stage, burst, lag


def _range(values: list[float]) -> list[float]:
    return [min(values), max(values)]


def _median(values: list) -> float | None:
    known = [value for value in values if value is not None]
    return statistics.median(known) if known else None


def _database() -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)  # type: ignore[attr-defined]  # PostgreSQL's has it
        return f"PostgreSQL {major}.{minor}"
    return connection.vendor


class Command(BaseCommand):
    help = "Send follow-ups through a real worker and broker: seconds for a burst, due-to-sent lag with beat."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="Follow-ups a run (default 10,000).")
        parser.add_argument("--runs", type=int, default=3, help="Burst runs (default 3).")
        parser.add_argument("--lag-runs", type=int, default=1, help="Runs with beat (default 1; 0 skips them).")
        parser.add_argument("--spread-minutes", type=float, default=3, help="Due times spread over (default 3).")
        parser.add_argument(
            "--broker", default=os.environ.get("BENCH_BROKER_URL") or settings.CELERY_BROKER_URL, help="Redis URL."
        )
        parser.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--keep", action="store_true", help="Keep the bench's cases and follow-ups afterwards.")
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "benchmarks" / "results.json"))

    def handle(self, *args, count, runs, lag_runs, spread_minutes, broker, pool, concurrency, keep, output, **options):
        if not broker.startswith(("redis://", "rediss://")):
            raise CommandError(
                f"The dispatch benchmark needs Redis: pass --broker or set BENCH_BROKER_URL (not {broker})."
            )
        if count < 1 or runs < 1 or lag_runs < 0:
            raise CommandError("--count and --runs must be at least 1, --lag-runs at least 0.")
        if pool == "solo":
            concurrency = 1
        stage = Stage.prepare()
        bursts, lags = [], []
        try:
            with Celeries(broker, pool=pool, concurrency=concurrency) as celeries:
                celeries.start_worker()
                for run in range(1, runs + 1):
                    bursts.append(burst(stage, celeries, count))
                    self.stdout.write(f"burst {run}/{runs}: {bursts[-1]}")
                    self.stdout.flush()
                for run in range(1, lag_runs + 1):
                    lags.append(lag(stage, celeries, count, timedelta(minutes=spread_minutes)))
                    self.stdout.write(f"lag {run}/{lag_runs}: {lags[-1]}")
                    self.stdout.flush()
        except BenchFailed as error:
            raise CommandError(str(error)) from error
        finally:
            stage.clear() if keep else stage.remove()
        entry = self.entry(count, bursts, lags, spread_minutes, pool, concurrency)
        path = Path(output)
        results = json.loads(path.read_text()) if path.exists() else {}
        results["followup_dispatch"] = entry
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2) + "\n")
        self.report(entry)
        self.stdout.write(f"Written to {path}")

    def entry(self, count, bursts, lags, spread_minutes, pool, concurrency) -> dict:
        seconds = [run["seconds"] for run in bursts]
        entry = {
            "count": count,
            "seconds": statistics.median(seconds),
            "seconds_range": _range(seconds),
            "per_second": round(count / statistics.median(seconds)),
            "worker_cpu_ms_each": _median([run.get("worker_cpu_ms_each") for run in bursts]),
            "duplicates": sum(run["duplicates"] for run in bursts + lags),
            "missing": sum(run["missing"] for run in bursts + lags),
            "p95_lag_seconds": _median([run["p95_lag_seconds"] for run in lags]),
            "p95_lag_range": _range([run["p95_lag_seconds"] for run in lags]) if lags else None,
            "runs": len(bursts),
            "bursts": bursts,
            "lag": {
                "runs": len(lags),
                "spread_minutes": spread_minutes,
                "beat": "celery beat, django-celery-beat: followups.dispatch every minute",
                "each": lags,
            },
            "database": _database(),
            "broker": "redis",
            "worker": {"pool": pool, "concurrency": concurrency, "email": "appended to a file a process"},
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "django": django.get_version(),
                "platform": platform.platform(),
                "load_average": [round(load, 2) for load in os.getloadavg()],
            },
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }
        return entry

    def report(self, entry):
        self.stdout.write(
            f"{entry['count']:,} follow-ups due at once, {entry['runs']} runs: {entry['seconds']} s median "
            f"({entry['seconds_range'][0]}–{entry['seconds_range'][1]}), {entry['per_second']}/s; "
            f"{entry['duplicates']} duplicates, {entry['missing']} missing"
        )
        if entry["p95_lag_seconds"] is not None:
            self.stdout.write(
                f"due to sent with a one-minute beat, over {entry['lag']['spread_minutes']} minutes: "
                f"p95 {entry['p95_lag_seconds']} s (median of {entry['lag']['runs']} runs)"
            )
