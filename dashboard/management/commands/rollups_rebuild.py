"""Recompute every roll-up row from the cases: after loading data in bulk, or to check."""

import time

from django.core.management.base import BaseCommand

from dashboard.rollups import rollups_rebuild


class Command(BaseCommand):
    help = "Recompute the dashboard's roll-ups from the cases."

    def handle(self, *args, **options):
        started = time.monotonic()
        days = rollups_rebuild()
        self.stdout.write(f"{days:,} days recomputed in {time.monotonic() - started:.1f} s.")
