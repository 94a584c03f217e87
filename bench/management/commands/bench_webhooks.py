"""Measure a webhook burst with a real worker, broker and receiver, and add it to benchmarks/results.json.

    python manage.py bench_webhooks [--count 10000] [--cases 2000] [--runs 3]
                                    [--broker redis://127.0.0.1:6379/14] [--concurrency 4]

Needs Redis (`--broker`, else BENCH_BROKER_URL, else CELERY_BROKER_URL) on a database number
nobody else uses. The worker is started with AMENDS_WEBHOOKS_ALLOW_PRIVATE=1 (the receiver is
on loopback). Writes the entry `webhook_burst` into `--output`, keeping what else is there.
See bench/webhooks.py for what is measured.
"""

import json
import os
import platform
import statistics
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bench.dispatch import BenchFailed, Celeries
from bench.webhook_receiver import Receiver
from bench.webhooks import burst

from .bench_dispatch import _database, _range


class Command(BaseCommand):
    help = "Deliver a burst of webhooks through a real worker and broker to a local receiver; seconds for the burst."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=10_000, help="Events a run (default 10,000).")
        parser.add_argument("--cases", type=int, default=2_000, help="Cases they are spread over (default 2,000).")
        parser.add_argument("--runs", type=int, default=3, help="Runs (default 3).")
        parser.add_argument(
            "--broker", default=os.environ.get("BENCH_BROKER_URL") or settings.CELERY_BROKER_URL, help="Redis URL."
        )
        parser.add_argument("--pool", default="prefork", choices=["prefork", "solo", "threads"])
        parser.add_argument("--concurrency", type=int, default=os.cpu_count() or 1)
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "benchmarks" / "results.json"))

    def handle(self, *args, count, cases, runs, broker, pool, concurrency, output, **options):
        if not broker.startswith(("redis://", "rediss://")):
            raise CommandError(
                f"The webhook benchmark needs Redis: pass --broker or set BENCH_BROKER_URL (not {broker})."
            )
        if count < 1 or runs < 1 or not 1 <= cases <= count:
            raise CommandError("--count and --runs must be at least 1, --cases between 1 and --count.")
        if pool == "solo":
            concurrency = 1
        os.environ["AMENDS_WEBHOOKS_ALLOW_PRIVATE"] = "1"  # for the worker: its receiver is on loopback
        receiver = Receiver().start()
        results = []
        try:
            with Celeries(broker, pool=pool, concurrency=concurrency) as celeries:
                celeries.start_worker()
                for run in range(1, runs + 1):
                    results.append(burst(celeries, receiver, count=count, cases=cases))
                    self.stdout.write(f"burst {run}/{runs}: {results[-1]}")
                    self.stdout.flush()
        except BenchFailed as error:
            raise CommandError(str(error)) from error
        finally:
            receiver.stop()
        seconds = [run["seconds"] for run in results]
        entry = {
            "count": count,
            "cases": cases,
            "seconds": statistics.median(seconds),
            "seconds_range": _range(seconds),
            "per_second": round(count / statistics.median(seconds)),
            "duplicates": sum(run["duplicates"] for run in results),
            "missing": sum(run["missing"] for run in results),
            "bad_signatures": sum(run["bad_signatures"] for run in results),
            "runs": results,
            "database": _database(),
            "broker": "redis",
            "worker": {"pool": pool, "concurrency": concurrency},
            "receiver": "bench/webhook_receiver.py on loopback, every signature checked (standardwebhooks)",
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "django": django.get_version(),
                "platform": platform.platform(),
                "load_average": [round(load, 2) for load in os.getloadavg()],
            },
            "measured_at": timezone.now().isoformat(timespec="seconds"),
        }
        path = Path(output)
        stored = json.loads(path.read_text()) if path.exists() else {}
        stored["webhook_burst"] = entry
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(stored, indent=2) + "\n")
        self.stdout.write(
            f"{count:,} events to one endpoint over {cases:,} cases, {len(results)} runs: {entry['seconds']} s median "
            f"({entry['seconds_range'][0]}–{entry['seconds_range'][1]}), {entry['per_second']}/s; "
            f"{entry['duplicates']} duplicates, {entry['missing']} missing, {entry['bad_signatures']} bad signatures"
        )
        self.stdout.write(f"Written to {path}")
