"""Restore a db_backup file into a new, empty database, in one transaction.

    python manage.py db_restore /backups/amends-2026-12-03.dump \\
        --into postgres://amends@db.internal:5432/amends_restored --create

Then point DATABASE_URL at that database and start the processes (docs/deploy.md, "Restoring").
It never restores over a database that has tables.
"""

from pathlib import Path

import environ
from django.core.management.base import BaseCommand, CommandError

from core.backups import BackupError, restore


class Command(BaseCommand):
    help = "Restore a db_backup file into an empty PostgreSQL database (--create makes it)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="A file made by db_backup.")
        parser.add_argument(
            "--into", required=True, help="The database to fill, as a URL: postgres://user:password@host:port/name."
        )
        parser.add_argument("--create", action="store_true", help="Create that database first (it must not exist).")

    def handle(self, *args, file: Path, into: str, create: bool, **options):
        try:
            target = environ.Env.db_url_config(into)
        except Exception as error:  # django-environ raises several kinds for a URL it cannot read
            message = f"--into must be a database URL such as postgres://user@host:5432/name: {error}"
            raise CommandError(message) from error
        try:
            restored = restore(backup_file=file, into=target, create=create)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {file} into {restored.database}: {restored.tables} tables. Point DATABASE_URL at it to use it."
        )
