"""Mail that comes in: one service decides what each message is and does it, in one transaction.

`inbound_mail_receive(raw=…, route=…)` is called by both routes (the IMAP command and the
inbound endpoint). Each message is recorded once (its Message-ID is unique; two deliveries
racing meet the constraint and the second returns the first's row). A person's mail is put
on its case, or reopens it, or opens a new one; a machine's (an auto-reply, a list, our own
mail come back, a bounce) is recorded and never answered nor made into a case. Nothing here
sends mail: whatever follows a new or reopened case is planned by followups' reactions, as
for any case, and an ignored message plans nothing at all.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Location
from accounts.roles import managers_of
from attachments.models import Attachment
from attachments.services import attachment_add
from cases import events
from cases.events import Kind
from cases.models import Case, Category
from cases.reply_tokens import case_from_references, case_from_reply_address
from cases.services import case_open_from_email, case_reopen_on_reply
from cases.states import State
from core.exceptions import ApplicationError
from core.services import notify
from customers.contact import normalise_email
from customers.services import CustomerDetails, customer_for_report
from followups.services import followup_bounced

from .models import InboundMessage, WebhookToken
from .parsing import InboundMail, MailKind, message_ids, parse

Outcome = InboundMessage.Outcome

TOO_LARGE = "Larger than {limit:,} bytes ({size:,})."
UNREADABLE = "Could not be read as an email ({error})."
NO_SENDER = "No sender address to answer."
NOWHERE = "Not a reply to a case, and not sent to a location's address."
TEXT_LIMIT = 10_000
QUOTED_LIMIT = 20_000
# Message-IDs of mail we sent that are not signed (a follow-up's, the self-report's
# acknowledgement): guessable, so they find a case only for mail from the customer on file.
_UNSIGNED_IDS = ("<followup-", "<self-report-")
_SENT_NUMBER = re.compile(r"[0-9]{1,18}")


@dataclass(frozen=True)
class Match:
    case: Case | None
    how: str = ""  # "reply address", "thread", "message id": how the case was found


def own_addresses() -> tuple[frozenset[str], frozenset[str]]:
    """The addresses and domains our own mail comes from: mail from them (or naming them in
    X-Loop) is a loop. The reply domain counts whole only when set (a domain of its own);
    by default it is DEFAULT_FROM_EMAIL's, shared with people who may well be customers."""
    addresses = {parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower(), parseaddr(settings.SERVER_EMAIL)[1].lower()}
    for sender, inbound in Location.objects.values_list("sender_email", "inbound_email"):
        addresses.update(value.lower() for value in (sender, inbound) if value)
    domains = {settings.AMENDS_REPLY_DOMAIN} if settings.AMENDS_REPLY_DOMAIN else set()
    return frozenset(address for address in addresses if address), frozenset(domains)


def _hash_id(raw: bytes) -> str:
    """An id for a message that has none or could not be read: the same bytes twice are still one entry."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()}@inbound.amends>"


@transaction.atomic
def inbound_mail_receive(*, raw: bytes, route: str, now: datetime | None = None) -> InboundMessage:
    """Take one raw message (RFC 5322 bytes) that came in by `route` ("imap" or "webhook") and
    decide what it is, once: the same Message-ID again returns the entry already made. Never
    raises for what the message holds: a malformed or oversized one is recorded as rejected
    with the reason."""
    now = now or timezone.now()
    limit = settings.AMENDS_INBOUND_MAX_BYTES
    if len(raw) > limit:
        return _record(
            InboundMessage(message_id=_hash_id(raw[:limit]), size=len(raw), raw=b""),
            route,
            now,
            Outcome.REJECTED,
            TOO_LARGE.format(limit=limit, size=len(raw)),
        )
    own, domains = own_addresses()
    try:
        mail = parse(raw, own_addresses=own, own_domains=domains)
    except Exception as error:  # noqa: BLE001 (any failure of the parser is bad input, recorded as such)
        row = InboundMessage(message_id=_hash_id(raw), size=len(raw), raw=raw)
        return _record(row, route, now, Outcome.REJECTED, UNREADABLE.format(error=type(error).__name__))
    row = InboundMessage(
        message_id=mail.message_id,
        sender=mail.from_address,
        subject=mail.subject,
        size=len(raw),
        raw=raw,
    )
    claimed = _claim(row, route, now)
    if claimed is not row:
        return claimed
    try:
        with transaction.atomic():
            _decide(row, mail, now)
    except ApplicationError as refused:
        # Something the message said could not be taken (a customer with no usable address):
        # the case work is undone, the message stays recorded with the reason.
        row.case, row.outcome, row.reason = None, Outcome.REJECTED, str(refused)[:300]
        row.save(update_fields=["case", "outcome", "reason"])
    return row


def _record(row: InboundMessage, route: str, now: datetime, outcome: str, reason: str) -> InboundMessage:
    claimed = _claim(row, route, now)
    if claimed is row:
        row.outcome, row.reason = outcome, reason[:300]
        row.save(update_fields=["outcome", "reason"])
    return claimed


def _claim(row: InboundMessage, route: str, now: datetime) -> InboundMessage:
    """Insert the row, or return the one already there with this Message-ID (delivered twice,
    at once too: the unique constraint decides, and the loser reads the winner's row)."""
    existing = InboundMessage.objects.filter(message_id=row.message_id).first()
    if existing is not None:
        return existing
    row.route, row.received_at, row.outcome = route, now, Outcome.REJECTED
    try:
        with transaction.atomic():
            row.save(force_insert=True)
    except IntegrityError:
        return InboundMessage.objects.get(message_id=row.message_id)
    return row


def _decide(row: InboundMessage, mail: InboundMail, now: datetime) -> None:
    match = _match(mail)
    if mail.kind is MailKind.BOUNCE:
        _bounce(row, mail, now)
        return
    if mail.kind is not MailKind.PERSON:
        outcome = Outcome.LOOP if mail.kind is MailKind.LOOP else Outcome.AUTO_REPLY
        # Kept where the case's (or the addressed location's) staff see it, never answered
        # and never on the timeline.
        location = None if match.case is not None else _location_addressed(mail.recipients)
        _finish(row, outcome, f"Not answered: {mail.why}.", match.case, location.pk if location else None)
        return
    if not mail.from_address:
        _finish(row, Outcome.REJECTED, NO_SENDER, match.case)
        return
    if match.case is not None:
        _reply(row, mail, match, now)
        return
    location = _location_addressed(mail.recipients)
    if location is None:
        _finish(row, Outcome.REJECTED, NOWHERE, None)
        return
    _open(row, mail, location, now)


def _finish(row: InboundMessage, outcome: str, reason: str, case: Case | None, location_id: int | None = None) -> None:
    row.outcome, row.reason, row.case = outcome, reason[:300], case
    row.location_id = case.location_id if case is not None else location_id
    row.save(update_fields=["outcome", "reason", "case", "location", "from_address_on_file"])


def _match(mail: InboundMail) -> Match:
    """The case a message is about: a signed reply address among its recipients, else a
    signed thread id in In-Reply-To/References, else (from the customer on file only, as
    these ids are guessable) the id of a message we sent about the case."""
    for recipient in mail.recipients:
        case_id = case_from_reply_address(recipient)
        if case_id is not None:
            return _found(case_id, "reply address")
    case_id = case_from_references(mail.thread_header)
    if case_id is not None:
        return _found(case_id, "thread")
    for message_id in message_ids(mail.thread_header):
        case = _case_of_sent(message_id)
        if case is not None and _on_file(mail.from_address, case):
            return Match(case, "message id")
    return Match(None)


def _found(case_id: int, how: str) -> Match:
    case = Case.objects.select_related("customer", "location", "assignee").filter(pk=case_id).first()
    return Match(case, how) if case is not None else Match(None)


def _case_of_sent(message_id: str) -> Case | None:
    lowered = message_id.lower()
    if not lowered.startswith(_UNSIGNED_IDS) or not lowered.endswith("@amends>"):
        return None
    number = lowered.rpartition("-")[2].removesuffix("@amends>")
    if not _SENT_NUMBER.fullmatch(number):
        return None
    cases = Case.objects.select_related("customer", "location", "assignee")
    if lowered.startswith("<followup-"):
        return cases.filter(followups__pk=int(number)).first()
    return cases.filter(pk=int(number)).first()


def _on_file(address: str, case: Case) -> bool:
    email = case.customer.email
    return bool(address and email) and normalise_email(address) == normalise_email(email)


def _location_addressed(recipients: tuple[str, ...]) -> Location | None:
    if not recipients:
        return None
    return (
        Location.objects.annotate(address=Lower("inbound_email"))
        .filter(address__in=recipients, is_active=True)
        .exclude(inbound_email="")
        .first()
    )


def _bounce(row: InboundMessage, mail: InboundMail, now: datetime) -> None:
    for message_id in mail.bounced_message_ids:
        followup = followup_bounced(message_id=message_id, reason=mail.bounce_reason, now=now)
        if followup is not None:
            reason = f"A bounce of “{followup.subject}”: marked failed. {mail.bounce_reason}"
            _finish(row, Outcome.BOUNCE, reason, followup.case)
            return
    _finish(row, Outcome.BOUNCE, f"Not answered: {mail.why}; it names no message we sent.", None)


def _days_closed(case: Case, now: datetime) -> int:
    return (now - case.closed_at).days if case.closed_at else 0


def _reply(row: InboundMessage, mail: InboundMail, match: Match, now: datetime) -> None:
    """The customer wrote about a case: on its timeline; a closed one is reopened if it closed
    recently, else the reply opens a new case linked to it."""
    case = match.case
    assert case is not None
    row.from_address_on_file = _on_file(mail.from_address, case)
    window = settings.AMENDS_INBOUND_REOPEN_DAYS
    days = _days_closed(case, now)
    if case.state != State.CLOSED.value:
        target, outcome, why = case, Outcome.ATTACHED, f"Found by its {match.how}."
    elif days <= window:
        why = f"Closed {_days(days)} ago (within {window} days): reopened."
        target = case_reopen_on_reply(case=case, note=f"The customer wrote back. {why}", now=now)
        outcome = Outcome.REOPENED
    else:
        why = f"{case.reference} closed {_days(days)} ago (more than {window} days): a new case, linked."
        target, _ = case_open_from_email(
            location_id=case.location_id,
            customer=case.customer,
            category=case.category,
            description=_description(mail),
            submission_token=uuid.uuid5(uuid.NAMESPACE_URL, mail.message_id),
            follows=case,
            reported=f"The customer wrote back about {case.reference}. {why}",
            now=now,
        )
        outcome = Outcome.LINKED
    _finish(row, outcome, why, target)
    _on_timeline(row, mail, target, outcome, now)
    _tell_staff(target, mail, outcome)


def _days(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"


def _description(mail: InboundMail) -> str:
    parts = [part for part in (mail.subject.strip(), mail.trimmed.text.strip()) if part]
    return "\n\n".join(parts)[:4000]


def _open(row: InboundMessage, mail: InboundMail, location: Location, now: datetime) -> None:
    """Mail to a location's address from someone with no case: a new case, open, by email.
    The customer is the one on file with this address, else a new one at the location; a
    new one has not agreed to our messages (they wrote to us; staff answer them and ask)."""
    name = mail.from_name or mail.from_address.partition("@")[0]
    customer, _ = customer_for_report(
        details=CustomerDetails(name=name[:120], email=mail.from_address, preferred_channel="email"),
        home_location_id=location.pk,
    )
    case, _ = case_open_from_email(
        location_id=location.pk,
        customer=customer,
        category=Category.OTHER,
        description=_description(mail),
        submission_token=uuid.uuid5(uuid.NAMESPACE_URL, mail.message_id),
        reported=f"The customer wrote to {location.inbound_email}.",
        now=now,
    )
    _finish(row, Outcome.OPENED, f"Sent to {location.name}'s address by someone with no case.", case)
    _on_timeline(row, mail, case, Outcome.OPENED, now)
    _tell_staff(case, mail, Outcome.OPENED)


def _on_timeline(row: InboundMessage, mail: InboundMail, case: Case, outcome: str, now: datetime) -> None:
    """One entry for the message (its attachments each have their own, `attachment.added`)."""
    kept: list[int] = []
    refused: list[str] = []
    for attached in mail.attachments:
        try:
            attachment, _ = attachment_add(
                case=case,
                upload=ContentFile(attached.data, name=attached.name),
                source=Attachment.Source.EMAIL,
                actor=None,
                now=now,
            )
        except ApplicationError as error:
            refused.append(str(error)[:200])
            continue
        kept.append(attachment.pk)
    text = mail.trimmed.text[:TEXT_LIMIT] or "(No text.)"
    flag = "" if row.from_address_on_file else f" From {mail.from_address}, an address not on file."
    events.record(
        kind=Kind.CUSTOMER_REPLIED,
        case=case,
        actor=None,
        now=now,
        note=(text + flag)[:4000],
        payload=events.CustomerReplied(
            inbound_id=row.pk,
            subject=mail.subject,
            text=text,
            quoted=mail.trimmed.rest[:QUOTED_LIMIT],
            from_address=mail.from_address,
            from_address_on_file=row.from_address_on_file,
            how=str(outcome),
            attachment_ids=tuple(kept),
            refused=tuple(refused),
        ),
    )


_TOLD: dict[str, str] = {
    Outcome.REOPENED: "wrote back and the case is reopened",
    Outcome.LINKED: "wrote back about a case closed long ago: a new case",
    Outcome.OPENED: "wrote in: a new case",
}


def _tell_staff(case: Case, mail: InboundMail, outcome: str) -> None:
    """The assignee hears of it in the app, else the location's managers."""
    people = [case.assignee] if case.assignee_id and case.assignee is not None else managers_of(case.location_id)
    what = _TOLD.get(outcome, "wrote")
    text = f"{case.reference}: {case.customer.name} {what}: “{mail.subject or mail.trimmed.text[:60]}”"
    for person in people:
        notify(user=person, text=text, url=case.get_absolute_url() + "#timeline")


def inbound_prune_tokens(*, now: datetime | None = None) -> int:
    """Forget tokens the endpoint would refuse by their age anyway."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=2 * settings.AMENDS_INBOUND_MAX_AGE_SECONDS)
    deleted, _ = WebhookToken.objects.filter(seen_at__lt=cutoff).delete()
    return deleted


@transaction.atomic
def inbound_webhook_token_claim(*, token: str, now: datetime | None = None) -> bool:
    """Accept a signed request's token once: False if it was seen before (a replay)."""
    try:
        with transaction.atomic():
            WebhookToken.objects.create(token=token[:200], seen_at=now or timezone.now())
    except IntegrityError:
        return False
    return True


@transaction.atomic
def inbound_erase(*, case_ids: list[int], address: str = "") -> int:
    """A customer's erasure reaches the mail they sent: the raw message, who sent it and its
    subject go; what became of it (the outcome, when, by which route) stays. The mail of their
    cases, and the mail from their `address` put on no case (rejected, a bounce). Returns how many."""
    theirs = Q(case_id__in=case_ids)
    if address:
        theirs |= Q(case__isnull=True, sender__iexact=address)
    return InboundMessage.objects.filter(theirs).update(raw=b"", sender="", subject="", reason="")
