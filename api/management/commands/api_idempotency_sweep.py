"""manage.py api_idempotency_sweep [--hours N]: forget the API's old idempotency keys."""

from django.core.management.base import BaseCommand, CommandError

from api.services import idempotency_keys_sweep


class Command(BaseCommand):
    help = "Delete the API's Idempotency-Key records older than AMENDS_API_IDEMPOTENCY_HOURS (24)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=None, help="Instead of the setting.")

    def handle(self, *args, hours: int | None = None, **options):
        if hours is not None and hours < 1:
            raise CommandError("--hours must be at least 1.")
        deleted = idempotency_keys_sweep(hours=hours)
        self.stdout.write(f"{deleted} idempotency keys forgotten.")
