"""Reading the IMAP mailbox that customers' replies arrive in (stdlib imaplib).

Messages are found by UID among the unseen, read without marking them (BODY.PEEK), and
marked \\Seen only once `inbound_mail_receive` has committed: a crash in between reads the
message again next time, and its Message-ID makes the second reading a no-op, so nothing is
lost and nothing doubles. The command and beat's task both call `inbox_fetch_imap`.
"""

import contextlib
import imaplib
import logging
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings

from .models import InboundMessage
from .services import inbound_mail_receive

logger = logging.getLogger(__name__)

NOT_CONFIGURED = "AMENDS_IMAP_URL is not set (imaps://user:password@host:993/INBOX)."
TIMEOUT_SECONDS = 30


class ImapNotConfigured(Exception):
    pass


@dataclass(frozen=True)
class ImapAccount:
    host: str
    port: int
    ssl: bool
    user: str
    password: str
    mailbox: str


@dataclass
class FetchReport:
    read: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    failed: int = 0

    def summary(self) -> str:
        done = ", ".join(
            f"{count} {InboundMessage.Outcome(outcome).label.lower()}" for outcome, count in self.outcomes.items()
        )
        failed = f"; {self.failed} left unread for next time (see the log)" if self.failed else ""
        return f"{self.read} message(s) read" + (f": {done}" if done else "") + failed


def account_from_url(url: str) -> ImapAccount:
    """imaps://user:password@host[:993][/MAILBOX] or imap://… (plain: a local server)."""
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"} or not parts.hostname or parts.username is None:
        raise ImapNotConfigured(NOT_CONFIGURED)
    ssl = parts.scheme == "imaps"
    return ImapAccount(
        host=parts.hostname,
        port=parts.port or (993 if ssl else 143),
        ssl=ssl,
        user=unquote(parts.username),
        password=unquote(parts.password or ""),
        mailbox=unquote(parts.path.lstrip("/")) or "INBOX",
    )


def _connect(account: ImapAccount) -> imaplib.IMAP4:
    if account.ssl:
        return imaplib.IMAP4_SSL(account.host, account.port, timeout=TIMEOUT_SECONDS)
    return imaplib.IMAP4(account.host, account.port, timeout=TIMEOUT_SECONDS)


def _raw_of(parts: list) -> bytes | None:
    for part in parts:
        if isinstance(part, tuple) and len(part) == 2 and isinstance(part[1], bytes):
            return part[1]
    return None


def inbox_fetch_imap(*, url: str = "", batch: int = 0) -> FetchReport:
    """Read up to `batch` unseen messages from the mailbox (AMENDS_IMAP_URL and AMENDS_IMAP_BATCH
    by default) and take each in, marking it seen once taken."""
    account = account_from_url(url or settings.AMENDS_IMAP_URL)
    batch = batch or settings.AMENDS_IMAP_BATCH
    report = FetchReport()
    imap = _connect(account)
    try:
        imap.login(account.user, account.password)
        status, _ = imap.select(_quoted(account.mailbox))
        if status != "OK":
            raise imaplib.IMAP4.error(f"No mailbox {account.mailbox}")
        _, found = imap.uid("SEARCH", "UNSEEN")
        for uid in (found[0] or b"").decode().split()[:batch]:
            _take(imap, uid, report)
    finally:
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()
    return report


def _quoted(mailbox: str) -> str:
    return '"' + mailbox.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _take(imap: imaplib.IMAP4, uid: str, report: FetchReport) -> None:
    _, parts = imap.uid("FETCH", uid, "(BODY.PEEK[])")
    raw = _raw_of(parts or [])
    if raw is None:
        report.failed += 1
        return
    try:
        inbound = inbound_mail_receive(raw=raw, route=InboundMessage.Route.IMAP)
    except Exception:
        # Not the message's fault (the database is down, say): leave it unseen, read it next time.
        logger.exception("Inbound message UID %s could not be taken in", uid)
        report.failed += 1
        return
    # Committed (the service's transaction has ended): only now is it marked read.
    imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    report.read += 1
    report.outcomes[inbound.outcome] = report.outcomes.get(inbound.outcome, 0) + 1
