"""How a message leaves Amends: email through Django's backend (EMAIL_URL), text
messages through an SMS backend behind the same small interface.

No SMS provider is wired in yet: the default backend refuses with a reason that
the follow-up records, so a text message is never silently dropped. `file`
writes each message under var/sms for development; `locmem` keeps them in
`sms_outbox` for tests.
"""

import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django.utils.translation import gettext_noop

from core.exceptions import ApplicationError

# Kept as the follow-up's last error (data, in English), marked for translation.
NO_SMS_PROVIDER = gettext_noop("No text-message provider is set up yet (AMENDS_SMS_BACKEND).")


@dataclass(frozen=True)
class OutgoingMessage:
    to: str
    subject: str
    text: str
    html: str = ""
    # The same follow-up always carries the same id, so a receiver can tell a
    # re-sent message from a new one.
    message_id: str = ""
    # Who it is from (a location's sender, accounts.locations.sender_of); empty: DEFAULT_FROM_EMAIL.
    from_email: str = ""
    # Email only (a text message has no headers): where the customer's reply goes, and the
    # case's thread id, so replies find their case and mail clients thread the conversation
    # (cases/reply_tokens.py).
    reply_to: str = ""
    references: str = ""


class _Email(EmailMultiAlternatives):
    def message(self):
        mime = super().message()
        if mime.is_multipart() and mime.get_boundary() is None:
            # Left unset, the email package picks a boundary while writing the message out and
            # compiles a regular expression to search the text for it: an eighth of the time
            # of sending a message. 122 random bits cannot turn up in the text by chance.
            mime.set_boundary(f"==============={uuid.uuid4().hex}==")
        return mime


def send_email(message: OutgoingMessage) -> None:
    headers = {"Message-ID": message.message_id} if message.message_id else {}
    if message.references:
        headers["References"] = message.references
    email = _Email(
        subject=message.subject,
        body=message.text,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers=headers,
        reply_to=[message.reply_to] if message.reply_to else None,
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    email.send()


sms_outbox: list[OutgoingMessage] = []


def send_sms(message: OutgoingMessage) -> None:
    backend = settings.AMENDS_SMS_BACKEND
    if backend == "locmem":
        sms_outbox.append(message)
    elif backend == "file":
        folder = Path(settings.VAR_DIR) / "sms"
        folder.mkdir(exist_ok=True)
        # The time sorts the files; the random part keeps two processes (or two messages in
        # the same microsecond) from sharing a name, and "x" refuses to overwrite one that does.
        name = f"{timezone.now():%Y%m%d-%H%M%S-%f}-{uuid.uuid4().hex}.json"
        with (folder / name).open("x") as file:
            file.write(json.dumps(asdict(message), indent=2))
    else:
        raise ApplicationError(NO_SMS_PROVIDER)
