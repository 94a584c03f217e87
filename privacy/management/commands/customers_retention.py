"""manage.py customers_retention [--days N] [--dry-run]: anonymise the customers with no activity
for the retention period (AMENDS_CUSTOMER_RETENTION_DAYS), as beat's nightly task does."""

from django.core.management.base import BaseCommand, CommandError

from privacy.retention import customers_retention_sweep


class Command(BaseCommand):
    help = (
        "Anonymise the customers with no activity (no case logged or changed, nothing on their cases' "
        "timelines, no case open, no follow-up scheduled) for AMENDS_CUSTOMER_RETENTION_DAYS days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Instead of AMENDS_CUSTOMER_RETENTION_DAYS.")
        parser.add_argument("--dry-run", action="store_true", help="Say who would be anonymised; change nothing.")

    def handle(self, *args, days: int | None = None, dry_run: bool = False, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1.")
        report = customers_retention_sweep(days=days, dry_run=dry_run)
        for pk in report.customer_ids:
            self.stdout.write(f"{'would anonymise' if dry_run else 'anonymised'} customer {pk}")
        self.stdout.write(("Dry run: " if dry_run else "") + report.summary())
