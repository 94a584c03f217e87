"""Measure the pages in-process: median and p95 milliseconds and queries per request.

    python manage.py bench [--requests 50] [--warmup 5] [--only case_list,case_detail] [--output FILE]

It measures whatever database DATABASE_URL names, with the data `seed_bench`
made, through Django's test client, and writes benchmarks/results.json. A bare
Django view is the floor. Run it with DEBUG off, as `make bench` does (DEBUG=0,
SECRET_KEY, ALLOWED_HOSTS=testserver: the test client's host);
`--settings=tests.settings` works too. Pages are registered in
`bench/pages/<app>.py` (see bench/registry.py). The follow-up dispatch has a
benchmark of its own (`manage.py bench_dispatch`), whose entry in the same file
this keeps.
"""

import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import django
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.http.request import validate_host
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from bench import pages as _pages  # noqa: F401 (importing the pages registers them)
from bench.registry import PAGES, Request, measure
from cases.models import Case
from customers.models import Customer
from recovery.forms import POLICY_FIELDS
from recovery.replays import draft_to_json, replay_now
from recovery.selectors import policy_in_force


@dataclass
class Subjects:
    """Who and what the pages are measured with, picked from the bench data."""

    frontline: User
    manager: User
    owner: User
    location: object
    case: Case
    customer: object
    # case_create logs its cases as another frontline user, for a customer of another branch, so that
    # what it adds never shows on the pages above: they stay the same run after run.
    creator: User
    creator_location: object
    other_customer: object
    # A case still being worked on, whose page shows the suggestions.
    open_case: Case


def pick_subjects() -> Subjects:
    frontline = (
        User.objects.filter(username__startswith="bench-frontline-0-", groups__name=Role.FRONTLINE)
        .order_by("username")
        .first()
    )
    if frontline is None:
        raise CommandError("No bench data: run `manage.py seed_bench --cases N` first.")
    location = frontline.locations.get()
    manager = User.objects.filter(groups__name=Role.MANAGER, locations=location).order_by("username").first()
    owner = User.objects.filter(groups__name=Role.OWNER, username__startswith="bench-").first()
    creator = (
        User.objects.filter(username__startswith="bench-frontline-1-", groups__name=Role.FRONTLINE)
        .order_by("username")
        .first()
    ) or frontline
    creator_location = creator.locations.get()
    other = Customer.objects.filter(home_location=creator_location).order_by("pk").first()
    closed = Case.objects.filter(location=location, state="closed")
    # The latest closed case of the customer with the most cases here: the heaviest realistic
    # subject, and the same kind of page at any size (case_detail_suggestions measures a case
    # still being worked on).
    busiest = closed.values("customer").annotate(cases=Count("pk")).order_by("-cases", "customer").first()
    if busiest is None:
        raise CommandError(f"No closed bench case at {location}: seed more cases.")
    case = closed.filter(customer=busiest["customer"]).select_related("customer").first()
    if manager is None or owner is None or case is None:
        raise CommandError(f"No bench manager, owner or closed case at {location}: run `manage.py seed_bench` again.")
    open_case = (
        Case.objects.filter(location=location, state__in=["open", "in_recovery"], proposals__isnull=True)
        .select_related("customer", "location")
        .order_by("-created_at")
        .first()
    ) or case
    return Subjects(
        frontline=frontline,
        manager=manager,
        owner=owner,
        location=location,
        case=case,
        customer=case.customer,
        creator=creator,
        creator_location=creator_location,
        other_customer=other,
        open_case=open_case,
    )


REPLAY = "recovery_replay"


def measure_replay(location, months: int = 12) -> dict:
    """A year of one location replayed under a draft (the policy in force) and the policy in force,
    as the policy page's preview does: wall-clock seconds, one run."""
    in_force = policy_in_force()
    values = {name: getattr(in_force.row, name) for name in POLICY_FIELDS}
    started = time.perf_counter()
    result = replay_now(draft=draft_to_json(values, in_force.catalogue), location_ids=[location.pk], months=months)
    seconds = time.perf_counter() - started
    cases = result["scopes"]["all"]["draft"]["cases"] if result["scopes"] else 0
    return {"seconds": round(seconds, 3), "cases": cases, "months": months, "location": location.code}


class Command(BaseCommand):
    help = "Measure the pages (median, p95, queries) and write benchmarks/results.json."

    def add_arguments(self, parser):
        parser.add_argument(
            "--requests",
            type=int,
            default=50,
            help="Measured requests a page (30 or more).",
        )
        parser.add_argument("--warmup", type=int, default=5, help="Requests a page before measuring.")
        parser.add_argument("--only", default="", help="Comma-separated page names.")
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "benchmarks" / "results.json"),
        )

    def handle(self, *args, requests, warmup, only, output, **options):
        if requests < 1 or warmup < 0:
            raise CommandError("--requests must be at least 1 and --warmup at least 0.")
        if not validate_host("testserver", settings.ALLOWED_HOSTS):
            raise CommandError("ALLOWED_HOSTS must include testserver, the test client's host (see `make bench`).")
        if settings.DEBUG:
            self.stderr.write(self.style.WARNING("DEBUG is on: these are not production figures (see `make bench`)."))
        names = [name for name in only.split(",") if name] or [*PAGES, REPLAY]
        replaying = REPLAY in names
        names = [name for name in names if name != REPLAY]
        unknown = set(names) - set(PAGES)
        if unknown:
            raise CommandError(f"Unknown pages: {', '.join(sorted(unknown))}. Known: {', '.join(PAGES)}.")
        subjects = pick_subjects()
        n_cases = Case.objects.count()  # before case_create adds its own
        floor = measure("floor", Request(None, reverse("bare")), requests=requests, warmup=warmup).summary()
        pages = {}
        for name in names:
            measured = measure(name, PAGES[name](subjects), requests=requests, warmup=warmup)
            if measured.queries_vary:
                self.stderr.write(self.style.WARNING(f"{name}: {sorted(set(measured.queries))} queries a request."))
            pages[name] = measured.summary()
            pages[name]["ratio_to_floor_p50"] = round(pages[name]["p50_ms"] / max(floor["p50_ms"], 0.01), 1)
        results = {
            "n_cases": n_cases,
            "database": connection.vendor,
            "machine": {
                "cores": os.cpu_count(),
                "python": platform.python_version(),
                "django": django.get_version(),
                "platform": platform.platform(),
            },
            "requests_per_page": requests,
            "pages": pages,
            "floor": {"p50_ms": floor["p50_ms"], "p95_ms": floor["p95_ms"]},
        }
        if replaying:
            results[REPLAY] = measure_replay(subjects.location)
        path = Path(output)
        # What other benchmarks wrote there (bench_dispatch's followup_dispatch) stays.
        previous = json.loads(path.read_text()) if path.exists() else {}
        results = {**{key: value for key, value in previous.items() if key not in results}, **results}
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2) + "\n")
        self.print_table(results)
        self.stdout.write(f"Written to {path}")

    def print_table(self, results):
        if REPLAY in results:
            replay = results[REPLAY]
            self.stdout.write(
                f"{REPLAY}: {replay['seconds']} s for {replay['cases']:,} cases ({replay['months']} months of "
                f"{replay['location']}, draft and policy in force)"
            )
        self.stdout.write(
            f"{results['n_cases']:,} cases on {results['database']}, {results['requests_per_page']} requests a page"
        )
        self.stdout.write(f"{'page':<28}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'x floor':>9}")
        floor = results["floor"]
        self.stdout.write(f"{'floor (bare view)':<28}{floor['p50_ms']:>9}{floor['p95_ms']:>9}{'0':>9}{'1':>9}")
        for name, row in results["pages"].items():
            self.stdout.write(
                f"{name:<28}{row['p50_ms']:>9}{row['p95_ms']:>9}{row['queries']:>9}{row['ratio_to_floor_p50']:>9}"
            )
