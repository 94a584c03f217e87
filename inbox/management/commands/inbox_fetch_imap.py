"""manage.py inbox_fetch_imap [--batch N]: read customers' mail from the IMAP mailbox once."""

import imaplib

from django.core.management.base import BaseCommand, CommandError

from inbox.imap import ImapNotConfigured, inbox_fetch_imap


class Command(BaseCommand):
    help = "Read unseen mail from the IMAP mailbox (AMENDS_IMAP_URL) and put it on its cases."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=0, help="At most this many messages (AMENDS_IMAP_BATCH).")

    def handle(self, *args, batch: int = 0, **options):
        try:
            report = inbox_fetch_imap(batch=batch)
        except ImapNotConfigured as error:
            raise CommandError(str(error)) from error
        except (imaplib.IMAP4.error, OSError) as error:
            raise CommandError(f"The IMAP server refused or could not be reached: {error}") from error
        self.stdout.write(report.summary())
