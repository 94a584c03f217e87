"""An inbound email read into plain values (stdlib `email` with `policy.default`; no Django import).

`parse(raw, own_addresses=…, own_domains=…)` gives an `InboundMail`: who sent it and to whom,
the thread headers, the text (text/plain preferred, else the HTML turned into text by a parser
that runs nothing), the attachments, and what kind of mail it is. Mail written by a machine
(an auto-reply, a list's mail, a bounce, our own mail come back) is recognised here so that it
is recorded and never answered nor made into a case.
"""

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr, parsedate_to_datetime
from enum import Enum
from html.parser import HTMLParser
from typing import cast

from .quotes import Trimmed, trim


class MailKind(Enum):
    PERSON = "person"  # written by someone: a reply, or a new problem
    AUTO_REPLY = "auto_reply"  # an out-of-office, a list's or a bulk sender's mail
    LOOP = "loop"  # our own mail come back to us
    BOUNCE = "bounce"  # a delivery failure report


@dataclass(frozen=True)
class MailAttachment:
    name: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class InboundMail:
    message_id: str  # as sent (`<…>`), or one made from the content's hash when it has none
    from_address: str  # lower case, "" if none could be read
    from_name: str
    recipients: tuple[str, ...]  # To, Cc, Delivered-To, X-Original-To, lower case
    in_reply_to: str
    references: tuple[str, ...]
    subject: str
    date: datetime | None
    text: str  # the whole text body
    trimmed: Trimmed  # what is new, and the quoted history after it
    attachments: tuple[MailAttachment, ...] = ()
    kind: MailKind = MailKind.PERSON
    why: str = ""  # what made it a machine's mail
    bounced_message_ids: tuple[str, ...] = field(default=())  # a bounce: the ids of the mail that failed
    bounce_reason: str = ""

    @property
    def thread_header(self) -> str:
        """In-Reply-To and References together, for finding the thread."""
        return " ".join((self.in_reply_to, *self.references))


_MESSAGE_ID = re.compile(r"<[^<>\s]+>")
_BULK_PRECEDENCE = {"bulk", "junk", "list"}
_DAEMONS = {"mailer-daemon", "postmaster"}


def message_ids(header: str) -> tuple[str, ...]:
    """The message ids (`<…>`) in a header such as References, in order."""
    return tuple(_MESSAGE_ID.findall(header or ""))


def _header(message: Message, name: str) -> str:
    """A header's value as text, "" when absent or unreadable (a malformed header is a defect
    to ignore, never a reason to drop the mail)."""
    try:
        value = message.get(name)
    except (IndexError, ValueError, TypeError, AttributeError):
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _all_headers(message: Message, name: str) -> list[str]:
    try:
        return [" ".join(str(value).split()) for value in message.get_all(name) or []]
    except (IndexError, ValueError, TypeError, AttributeError):
        return []


def _addresses(values: list[str]) -> tuple[str, ...]:
    found = []
    for _, email in getaddresses(values):
        email = email.strip().lower()
        if "@" in email and email not in found:
            found.append(email)
    return tuple(found)


class _TextOfHtml(HTMLParser):
    """The words of an HTML body, with line breaks where blocks end. Only text is kept; no
    script, style or head content, and nothing is fetched or run."""

    _SKIP = {"script", "style", "head", "title", "template"}
    _BREAK = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0
        self.quote_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag == "blockquote":
            self.quote_depth += 1
            self.parts.append("\n")
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(self.skipping - 1, 0)
        elif tag == "blockquote":
            self.quote_depth = max(self.quote_depth - 1, 0)
            self.parts.append("\n")
        elif tag in self._BREAK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.quote_depth:
            # Quoted history in HTML is a blockquote: written as `>` lines, it is trimmed the same way.
            lines = data.split("\n")
            data = "\n".join(f"> {line}" if line.strip() else line for line in lines)
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Readable text of an HTML body: blocks on their own lines, spaces collapsed."""
    parser = _TextOfHtml()
    parser.feed(html)
    parser.close()
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _decoded(part: Message) -> str:
    """A text part's content as str, whatever charset it claims (an unknown one is read as UTF-8
    with replacements rather than refused)."""
    try:
        return str(cast(EmailMessage, part).get_content())
    except (LookupError, UnicodeError, KeyError, AssertionError):
        payload = part.get_payload(decode=True)
        return payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else ""


def _body(message: EmailMessage) -> str:
    try:
        plain = message.get_body(preferencelist=("plain",))
        if plain is not None:
            return _decoded(plain).strip()
        html = message.get_body(preferencelist=("html",))
    except (KeyError, IndexError, AttributeError):
        return ""
    return html_to_text(_decoded(html)) if html is not None else ""


def _attachments(message: EmailMessage) -> tuple[MailAttachment, ...]:
    found = []
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "message":
            continue
        disposition = part.get_content_disposition()
        name = part.get_filename()
        if disposition != "attachment" and not (disposition == "inline" and name):
            continue
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes) and payload:
            found.append(MailAttachment(name=name or "attachment", content_type=part.get_content_type(), data=payload))
    return tuple(found)


def _bounce(message: EmailMessage) -> tuple[tuple[str, ...], str]:
    """The ids of the messages a delivery report is about, and its first diagnostic."""
    ids: list[str] = []
    reason = ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/rfc822":
            inner = part.get_payload()
            inner_messages = inner if isinstance(inner, list) else [inner]
            for inner_message in inner_messages:
                if isinstance(inner_message, Message):
                    ids.extend(message_ids(_header(inner_message, "Message-ID")))
        elif kind == "text/rfc822-headers":
            headers = message_from_bytes(_decoded(part).encode("utf-8", errors="replace"), policy=policy.default)
            ids.extend(message_ids(_header(headers, "Message-ID")))
        elif kind == "message/delivery-status" and not reason:
            match = re.search(r"^Diagnostic-Code:\s*(.+)$", str(part), re.MULTILINE | re.IGNORECASE)
            reason = match.group(1).strip() if match else ""
    return tuple(dict.fromkeys(ids)), reason[:300]


def _machine(
    message: EmailMessage, sender: str, own_addresses: frozenset[str], own_domains: frozenset[str]
) -> tuple[MailKind, str]:
    """Whether a machine wrote this, and how we know (RFC 3834 and what mail servers do)."""
    content_type = message.get_content_type()
    if content_type == "multipart/report" and message.get_param("report-type") == "delivery-status":
        return MailKind.BOUNCE, "a delivery status report"
    loop = _header(message, "X-Loop").lower()
    if loop and any(own in loop for own in (*own_addresses, *own_domains)):
        return MailKind.LOOP, f"X-Loop: {loop}"
    if sender and (sender in own_addresses or sender.rpartition("@")[2] in own_domains):
        return MailKind.LOOP, f"from our own address {sender}"
    auto_submitted = _header(message, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted != "no":
        return MailKind.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}"
    for name in ("X-Autoreply", "X-Autorespond"):
        if _header(message, name):
            return MailKind.AUTO_REPLY, f"{name} present"
    precedence = _header(message, "Precedence").lower()
    if precedence in _BULK_PRECEDENCE:
        return MailKind.AUTO_REPLY, f"Precedence: {precedence}"
    for name in ("List-Id", "List-Unsubscribe"):
        if _header(message, name):
            return MailKind.AUTO_REPLY, f"a mailing list's mail ({name})"
    if sender.partition("@")[0] in _DAEMONS:
        return MailKind.BOUNCE, f"from {sender}"
    if "Return-Path" in message and _header(message, "Return-Path").strip("<> ") == "":
        return MailKind.BOUNCE, "an empty Return-Path"
    return MailKind.PERSON, ""


def _date(message: Message) -> datetime | None:
    try:
        value = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value.tzinfo is not None else None


def parse(
    raw: bytes, *, own_addresses: frozenset[str] = frozenset(), own_domains: frozenset[str] = frozenset()
) -> InboundMail:
    """Read raw RFC 5322 bytes. `own_addresses` and `own_domains` (lower case) are where our
    own mail comes from: mail from them, or naming them in X-Loop, is a loop."""
    message = message_from_bytes(raw, policy=policy.default)
    name, sender = parseaddr(_header(message, "From"))
    sender = sender.strip().lower() if "@" in sender else ""
    recipients = _addresses(
        [value for header in ("To", "Cc", "Delivered-To", "X-Original-To") for value in _all_headers(message, header)]
    )
    ids = message_ids(_header(message, "Message-ID"))
    message_id = ids[0] if ids else f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound.amends>"
    kind, why = _machine(message, sender, own_addresses, own_domains)
    bounced, bounce_reason = _bounce(message) if kind is MailKind.BOUNCE else ((), "")
    text = _body(message)
    return InboundMail(
        message_id=message_id[:250],
        from_address=sender,
        from_name=name.strip()[:120],
        recipients=recipients,
        in_reply_to=_header(message, "In-Reply-To"),
        references=message_ids(_header(message, "References")),
        subject=_header(message, "Subject")[:300],
        date=_date(message),
        text=text,
        trimmed=trim(text),
        attachments=() if kind is MailKind.BOUNCE else _attachments(message),
        kind=kind,
        why=why,
        bounced_message_ids=bounced,
        bounce_reason=bounce_reason,
    )
