"""Reading everything Amends holds about one customer, as one JSON document (the export's format,
docs/privacy.md), in a fixed number of queries however many cases they have."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.utils import timezone

from accounts.models import User
from accounts.roles import sees_all_locations
from attachments.models import Attachment
from cases.models import Case, Event
from cases.selectors import customer_get
from customers.models import Customer
from followups.models import FollowUp
from inbox.models import InboundMessage
from portal.models import SatisfactionResponse
from recovery.models import Proposal, ProposalLine

# The document's name and version: a reader checks both; a change of shape is a new version.
SCHEMA = "amends.customer-export"
SCHEMA_VERSION = 1
WHOLE_BUSINESS_ONLY = "Only someone who sees every location may export or erase a customer's data."


def customer_for_privacy(user: User, pk: int) -> Customer:
    """The customer whose data `user` may export or erase: a 404 for one they may not see, a 403
    for anyone who does not see the whole business. A customer's history at other locations is
    for the staff there; handing over or erasing it all is for someone who sees it all (an owner,
    not an integration acting as one for one location)."""
    customer = customer_get(user, pk)
    if not sees_all_locations(user):
        raise PermissionDenied(WHOLE_BUSINESS_ONLY)
    return customer


@dataclass(frozen=True)
class CustomerExport:
    """The JSON document, with what the zip adds beside it: the attachments' stored files (their
    rows) and the raw emails the customer sent (id, bytes), read only when asked for."""

    data: dict[str, Any]
    attachments: list[Attachment]
    emails: list[tuple[int, bytes]]


def customer_export_read(customer: Customer, *, files: bool = False, now: datetime | None = None) -> CustomerExport:
    """Everything held about `customer`: their details; each case with its money, texts, remedies,
    messages and follow-ups to them, satisfaction answer, attachments (metadata), emails they
    sent and timeline; the emails from their address put on no case. Nine queries (ten with
    `files`), whatever the number of cases."""
    customer = Customer.objects.select_related("home_location").get(pk=customer.pk)
    cases = list(Case.objects.filter(customer=customer).select_related("location").order_by("created_at", "id"))
    lines = ProposalLine.objects.order_by("position", "id")
    proposals = _by_case(
        Proposal.objects.filter(case__customer=customer)
        .prefetch_related(Prefetch("lines", queryset=lines))
        .order_by("proposed_at", "id")
    )
    # To the customer (no staff recipient): the messages, satisfaction checks and follow-ups.
    to_them = FollowUp.objects.filter(case__customer=customer, recipient__isnull=True)
    messages = _by_case(to_them.order_by("due_at", "id"))
    answers = {row.case_id: row for row in SatisfactionResponse.objects.filter(case__customer=customer)}
    attachments = list(Attachment.objects.filter(case__customer=customer).order_by("created_at", "id"))
    theirs = Q(case__customer=customer)
    if customer.email:
        theirs |= Q(case__isnull=True, sender__iexact=customer.email)
    inbound = list(InboundMessage.objects.filter(theirs).defer("raw").order_by("received_at", "id"))
    timeline = _by_case(Event.objects.filter(case__customer=customer).order_by("created_at", "id"))
    emails_by_case = _by_case(inbound)
    files_by_case = _by_case(attachments)
    data = {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "exported_at": _value(now or timezone.now()),
        "currency": settings.AMENDS_CURRENCY,
        "customer": _customer(customer),
        "cases": [
            {
                **_case(case),
                "proposals": [_proposal(proposal) for proposal in proposals[case.pk]],
                "messages": [_message(followup) for followup in messages[case.pk]],
                "satisfaction": _answer(answers[case.pk]) if case.pk in answers else None,
                "attachments": [_attachment(attachment) for attachment in files_by_case[case.pk]],
                "emails": [_email(message) for message in emails_by_case[case.pk]],
                "timeline": [_event(event) for event in timeline[case.pk]],
            }
            for case in cases
        ],
        "emails_on_no_case": [_email(message) for message in emails_by_case[None]],
    }
    raw: list[tuple[int, bytes]] = []
    if files:
        ids = [message.pk for message in inbound]
        raw = [(pk, bytes(body)) for pk, body in InboundMessage.objects.filter(pk__in=ids).values_list("pk", "raw")]
    return CustomerExport(data=data, attachments=attachments, emails=[(pk, body) for pk, body in raw if body])


def _by_case(rows: Iterable[Any]) -> defaultdict[int | None, list[Any]]:
    grouped: defaultdict[int | None, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[row.case_id].append(row)
    return grouped


def _value(value: Any) -> Any:
    """Money as strings (exact), times in ISO 8601 with their offset, days as dates."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _fields(row: Any, names: list[str]) -> dict[str, Any]:
    return {name: _value(getattr(row, name)) for name in names}


def _customer(customer: Customer) -> dict[str, Any]:
    return {
        **_fields(
            customer,
            [
                "id",
                "name",
                "email",
                "phone",
                "preferred_channel",
                "contact_consent",
                "language",
                "yearly_value",
                "customer_since",
                "notes",
                "created_at",
                "anonymised_at",
            ],
        ),  # fmt: skip
        "home_location": {"id": customer.home_location_id, "name": customer.home_location.name},
    }


def _case(case: Case) -> dict[str, Any]:
    return {
        **_fields(
            case,
            [
                "id",
                "reference",
                "channel",
                "category",
                "description",
                "occurred_at",
                "order_value",
                "hidden_costs",
                "hidden_costs_description",
                "overcharge",
                "lost",
                "time_lost_minutes",
                "occasion_mattered",
                "treated_poorly",
                "fixed_on_spot",
                "repeat_incident",
                "promised_callback_at",
                "severity",
                "suggested_severity",
                "severity_override_reason",
                "state",
                "outcome",
                "sla_due_at",
                "first_contact_at",
                "closed_at",
                "created_at",
            ],
        ),  # fmt: skip
        "location": {"id": case.location_id, "name": case.location.name},
    }


def _proposal(proposal: Proposal) -> dict[str, Any]:
    return {
        **_fields(
            proposal,
            [
                "id",
                "title",
                "state",
                "compensation",
                "face_value",
                "proposed_at",
                "decided_at",
                "decision_reason",
                "below_floor_reason",
            ],
        ),  # fmt: skip
        "lines": [
            _fields(line, ["id", "kind", "face_value", "percent", "reason", "delivered_at", "delivery_reference"])
            for line in proposal.lines.all()
        ],
    }


def _message(followup: FollowUp) -> dict[str, Any]:
    return _fields(
        followup, ["id", "kind", "purpose", "channel", "subject", "body", "state", "due_at", "sent_at", "created_at"]
    )


def _answer(answer: SatisfactionResponse) -> dict[str, Any]:
    return _fields(answer, ["rating", "will_return", "comment", "created_at"])


def _attachment(attachment: Attachment) -> dict[str, Any]:
    return {
        **_fields(attachment, ["id", "original_name", "content_type", "size", "sha256", "source", "created_at"]),
        "file": archive_name(attachment),
    }


def archive_name(attachment: Attachment) -> str:
    """Where the zip keeps the file: its id first (two files may share a name)."""
    return f"attachments/{attachment.pk}-{attachment.original_name}"


def _email(message: InboundMessage) -> dict[str, Any]:
    return {
        **_fields(message, ["id", "received_at", "route", "sender", "subject", "outcome", "case_id"]),
        "file": email_archive_name(message.pk),
    }


def email_archive_name(pk: int) -> str:
    """Where the zip keeps the email as it was received (RFC 5322, openable by any mail client)."""
    return f"emails/{pk}.eml"


def _event(event: Event) -> dict[str, Any]:
    return _fields(event, ["id", "kind", "created_at", "note", "payload"])
