"""manage.py attachments_sweep [--grace-hours N] [--dry-run]: delete stored files no attachment names."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from attachments.services import attachments_sweep


class Command(BaseCommand):
    help = (
        "Delete the stored photos, documents and thumbnails that no attachment names (left by a rolled-back "
        "upload) and that are older than the grace period (AMENDS_ATTACHMENT_ORPHAN_GRACE_HOURS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--grace-hours", type=int, default=None, help="Instead of the setting's grace period.")
        parser.add_argument("--dry-run", action="store_true", help="Say what would be deleted; delete nothing.")

    def handle(self, *args, grace_hours: int | None = None, dry_run: bool = False, **options):
        if grace_hours is not None and grace_hours < 1:
            # Younger than an hour, a file's row may still be on its way: never sweep those.
            raise CommandError("--grace-hours must be at least 1.")
        grace = timedelta(hours=grace_hours) if grace_hours is not None else None
        report = attachments_sweep(grace=grace, dry_run=dry_run)
        for name in report.deleted:
            self.stdout.write(f"{'would delete' if dry_run else 'deleted'} {name}")
        self.stdout.write(("Dry run: " if dry_run else "") + report.summary())
