"""A customer with everything Amends can hold about them, made the way it is made in use: through
the API (with Idempotency-Keys, whose answers are kept), the services, an email they sent (with a
photo of a receipt) and one sent from their address that found no case, files on disk, remedies
with reasons, follow-ups to and about them, a satisfaction comment, staff's notifications."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from attachments.models import Attachment
from attachments.services import attachment_add
from cases.models import Case
from cases.reply_tokens import reply_token
from cases.services import case_add_note, case_set_severity
from cases.severity import Severity
from customers.models import Customer
from followups.services import followup_schedule
from inbox.services import inbound_mail_receive
from tests.api.conftest import as_user
from tests.factories import (
    ProposalFactory,
    ProposalLineFactory,
    SatisfactionResponseFactory,
    SentCustomerMessageFactory,
    staff,
)
from tests.inbox.mail import load

NAME = "Zephyrine Quillfeather"
EMAIL = "zephyrine.q@example.org"
PHONE = "+447700900456"
# What identifies her, as it may be written anywhere: her names, her address, her number with or
# without the country's code, and words only she (or someone writing about her) used.
NEEDLES = ["Zephyrine", "Quillfeather", EMAIL, "7700900456", "7700 900456", "marmalade catastrophe", "Wobblegate"]

# A PDF (kept as sent, byte for byte) whose text names her: a receipt.
RECEIPT = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"% Receipt for Zephyrine Quillfeather, table 4\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class Everything:
    customer: Customer
    cases: list[Case]
    owner: object


def _mail(case: Case, *, to: str | None = None) -> bytes:
    """Her reply to our message, with a photo of the receipt and her words (with_attachment.eml)."""
    raw = load("with_attachment", TOKEN=reply_token(case.pk))
    raw = raw.replace(b"Alice Moreno <alice@example.com>", f"{NAME} <{EMAIL}>".encode())
    raw = raw.replace(b"Here is the photo of the receipt.", b"Here is the receipt of the marmalade catastrophe.")
    raw = raw.replace(b"Subject: Re: About your visit to Soho", b"Subject: Wobblegate, again")
    if to is not None:
        raw = raw.replace(f"reply+{reply_token(case.pk)}@replies.example.com".encode(), to.encode())
        raw = raw.replace(b"<attach-0008@example.com>", b"<stray-0009@example.com>")
        raw = raw.replace(f"References: <case-{reply_token(case.pk)}@amends>\r\n".encode(), b"")
    return raw


@pytest.fixture
def everything(db, soho, settings, django_capture_on_commit_callbacks) -> Everything:
    settings.AMENDS_REPLY_DOMAIN = "replies.example.com"
    owner = staff(Role.OWNER, username="olga")
    frontline = staff(Role.FRONTLINE, soho, username="ash")
    api = as_user(owner)
    made = api.post(
        "/api/v1/customers/",
        {
            "name": NAME,
            "email": EMAIL,
            "phone": PHONE,
            "home_location": soho.pk,
            "contact_consent": True,
            "notes": "Allergic to marmalade; ask for Wobblegate table.",
        },  # fmt: skip
        format="json",
        HTTP_IDEMPOTENCY_KEY="customer-1",
    )
    assert made.status_code == 201, made.content
    customer = Customer.objects.get(pk=made.json()["id"])
    body = {
        "customer": customer.pk,
        "location": soho.pk,
        "channel": "in_person",
        "category": "delay",
        "description": "Zephyrine Quillfeather waited an hour: the marmalade catastrophe.",
        "order_value": {"amount": "64.00", "currency": "GBP"},
        "lost": "all",
        "hidden_costs": {"amount": "12.00", "currency": "GBP"},
        "hidden_costs_description": "Taxi home for Zephyrine",
    }
    logged = api.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="case-1")
    assert logged.status_code == 201, logged.content
    case = Case.objects.get(pk=logged.json()["id"])
    case.assignee = frontline
    case.save(update_fields=["assignee"])
    noted = api.post(
        f"/api/v1/cases/{case.pk}/notes/",
        {"note": "Rang Zephyrine on 07700 900456."},
        format="json",
        HTTP_IDEMPOTENCY_KEY="note-1",
    )
    assert noted.status_code == 201, noted.content
    # Logged at another severity than suggested, for a reason that names her (quoted in the opening line).
    overridden = {"severity": "critical", "severity_override_reason": "Zephyrine is a regular"}
    again = api.post("/api/v1/cases/", {**body, "description": "Wobblegate", **overridden}, format="json")
    assert again.status_code == 201, again.content
    second = Case.objects.get(pk=again.json()["id"])
    case_add_note(case=case, actor=owner, note="Zephyrine Quillfeather lives above the bakery.")
    other = next(level for level in Severity if level.value != case.suggested_severity)
    case_set_severity(case=case, actor=owner, severity=other, reason="Quillfeather is a regular")
    followup_schedule(
        case=case,
        kind="staff_reminder",
        channel="in_app",
        due_at=timezone.now() + timedelta(days=1),
        subject="Ring Zephyrine about Wobblegate",
        body=f"Her number is {PHONE}",
        recipient=frontline,
        actor=owner,
    )
    SentCustomerMessageFactory(
        case=case, purpose="staff_message", subject="Dear Zephyrine", body="About the marmalade catastrophe"
    )
    SentCustomerMessageFactory(
        case=case, purpose="remedy_message", state="failed", sent_at=None, last_error=f"550 <{EMAIL}>: no such user"
    )
    proposal = ProposalFactory(case=case, decision_reason="Quillfeather deserves it")
    ProposalLineFactory(proposal=proposal, reason="For the Wobblegate wait", delivery_reference="VOUCHER-ZEPHYRINE")
    SatisfactionResponseFactory(case=second, comment="Wobblegate was handled, thanks. Zephyrine", rating=2)
    attachment_add(
        case=case,
        upload=SimpleUploadedFile("zephyrine-receipt.pdf", RECEIPT, content_type="application/pdf"),
        source=Attachment.Source.STAFF,
        actor=owner,
    )
    with django_capture_on_commit_callbacks(execute=True):
        inbound_mail_receive(raw=_mail(case), route="imap")  # put on the case; her photo too; staff told
        inbound_mail_receive(raw=_mail(case, to="nobody@nowhere.example"), route="imap")  # on no case
    return Everything(customer=customer, cases=[case, second], owner=owner)
