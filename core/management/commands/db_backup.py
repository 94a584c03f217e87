"""Back up the database: pg_dump's custom format, checked, written whole or not at all.

    python manage.py db_backup /backups/amends-$(date +%F).dump

docs/deploy.md ("Backups") says how often, where to keep them, and how to restore one
(`manage.py db_restore`).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from core.backups import BackupError, backup


class Command(BaseCommand):
    help = "Back up the PostgreSQL database to a file (pg_dump --format=custom); db_restore restores it."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Where to write the backup (replaced if it exists).")
        parser.add_argument("--database", default="default", help="Which of DATABASES (default: default).")

    def handle(self, *args, file: Path, database: str, **options):
        try:
            size = backup(database=connections[database].settings_dict, to=file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up {connections[database].settings_dict['NAME']} to {file} ({size:,} bytes).")
