"""A customer's data erased, and every export of it recorded: one service each."""

from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from attachments.services import attachments_erase
from cases import events
from cases.models import Case
from core.models import Notification
from customers.models import Customer
from followups.models import FollowUp
from followups.plans import NEEDS_CONTACT, Purpose
from followups.services import followups_cancel_purposes
from inbox.services import inbound_erase
from portal.models import SatisfactionResponse
from recovery.models import Proposal, ProposalLine

from .selectors import CustomerExport, customer_export_read

ANONYMISED_NAME = "Anonymised customer"
REMOVED = "(removed: the customer was anonymised)"

# Why a customer's data was erased (the audit entry's `trigger`).
ON_REQUEST = "request"
BY_RETENTION = "retention"
_NOTES = {
    ON_REQUEST: (
        "The customer's personal details were removed at their request: notes on this timeline "
        "cleared, photos and files deleted, messages and calls to them cancelled."
    ),
    BY_RETENTION: (
        "The customer's personal details were removed after the retention period without activity: notes on "
        "this timeline cleared, photos and files deleted, messages and calls to them cancelled."
    ),
}
# Follow-ups whose subject people typed (the others carry their purpose's label, as data).
_TYPED_SUBJECTS = (Purpose.STAFF_MESSAGE.value, Purpose.MANUAL.value)


@transaction.atomic
def customer_anonymise(
    *, customer: Customer, actor: User | None, trigger: str = ON_REQUEST, now: datetime | None = None
) -> Customer:
    """Remove everything that names or reaches the customer, keeping their cases as the
    business's record of what happened and the figures the dashboards count (amounts,
    severities, states, outcomes, remedies given, times). Their case texts, the words people
    wrote about them anywhere (timeline, follow-ups, proposals' reasons, notifications), their
    files and the mail they sent are removed; messages still scheduled to them are cancelled,
    and their link stops working. `actor` None: the retention rule (the system). Doing it twice
    changes nothing the second time."""
    now = now or timezone.now()
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.anonymised_at is not None:
        return customer
    cases = Case.objects.filter(customer=customer)
    case_ids = list(cases.values_list("pk", flat=True))
    # The audit trail's entry first: its reactions (the API forgets the answers it keeps for
    # retries that name the customer) read the details before they go, in this transaction.
    events.record(
        kind=events.Kind.CUSTOMER_ERASED,
        payload=events.CustomerErased(customer_id=customer.pk, trigger=trigger, cases=len(case_ids)),
        actor=actor,
        subject=f"customer:{customer.pk}",
        location_id=customer.home_location_id,
        note=f"Customer {customer.pk}'s personal data erased ({trigger}).",
        now=now,
    )
    email = customer.email
    customer.name = ANONYMISED_NAME
    customer.email = customer.phone = customer.notes = ""
    customer.yearly_value = customer.customer_since = None
    # Nothing may be sent to someone who is no longer on file.
    customer.contact_consent = False
    customer.anonymised_at = now
    customer.full_clean()
    customer.save(
        update_fields=[
            "name",
            "email",
            "phone",
            "notes",
            "yearly_value",
            "customer_since",
            "contact_consent",
            "anonymised_at",
        ]
    )
    # What staff and the customer wrote on the timeline may name or describe them (first: it
    # reads the cases' severity override reasons, quoted in their opening lines).
    events.erase_words(customer_id=customer.pk, replacement=REMOVED)
    cases.update(description=REMOVED, updated_at=now)
    cases.exclude(hidden_costs_description="").update(hidden_costs_description=REMOVED)
    cases.exclude(severity_override_reason="").update(severity_override_reason=REMOVED)
    SatisfactionResponse.objects.filter(case__customer=customer).exclude(comment="").update(comment=REMOVED)
    _erase_followups(customer)
    _erase_proposals(customer)
    _erase_notifications(case_ids)
    # Their photos and documents: a receipt names them, a photo may show them or their home.
    attachments_erase(case_ids=case_ids)
    # The emails they sent, as received: their address, their words, their signature; those put
    # on no case (a rejected one) too, found by their address.
    inbound_erase(case_ids=case_ids, address=email)
    # Nobody can be called or written to any more; delivering what is owed still can be.
    for case_id in case_ids:
        followups_cancel_purposes(case=case_id, purposes=NEEDS_CONTACT)
    events.record_each(
        kind=events.Kind.CUSTOMER_ANONYMISED,
        payload=events.CustomerAnonymised(customer_id=customer.pk),
        case_ids=case_ids,
        actor=actor,
        note=_NOTES[trigger],
        now=now,
    )
    return customer


def _erase_followups(customer: Customer) -> None:
    """The words of follow-ups: what staff wrote to the customer (stored as the customer read it,
    their name and all), a reminder's subject typed by hand, a mail server's error naming their
    address. Their kind, purpose, channel, state and times stay: the dashboards count them."""
    followups = FollowUp.objects.filter(case__customer=customer)
    followups.filter(purpose__in=_TYPED_SUBJECTS).update(subject=REMOVED)
    followups.exclude(body="").update(body=REMOVED)
    followups.exclude(last_error="").update(last_error=REMOVED)


def _erase_proposals(customer: Customer) -> None:
    """The reasons people typed on their remedies and the delivery's reference (a voucher's or a
    refund's, which a payment system ties to them); the remedies, amounts and decisions stay."""
    proposals = Proposal.objects.filter(case__customer=customer)
    proposals.exclude(decision_reason="").update(decision_reason=REMOVED)
    proposals.exclude(below_floor_reason="").update(below_floor_reason=REMOVED)
    lines = ProposalLine.objects.filter(proposal__case__customer=customer)
    lines.exclude(reason="").update(reason=REMOVED)
    lines.exclude(delivery_reference="").update(delivery_reference=REMOVED)


def _erase_notifications(case_ids: list[int]) -> None:
    """Staff's in-app notifications about their cases quote them ("Alice wrote: …", a reason, a
    mail server's error): found by the case's page they link to."""
    if not case_ids:
        return
    about = Q()
    for case_id in case_ids:
        about |= Q(url__startswith=Case(pk=case_id).get_absolute_url())
    Notification.objects.filter(about).update(text=REMOVED)


@transaction.atomic
def customer_export(*, customer: Customer, actor: User, form: str, now: datetime | None = None) -> CustomerExport:
    """Everything Amends holds about the customer (privacy.selectors), and the audit trail's entry
    that `actor` had it, as `form` ("json" or "zip"): who, when, which customer, never the data."""
    export = customer_export_read(customer, files=form == "zip", now=now)
    events.record(
        kind=events.Kind.CUSTOMER_EXPORTED,
        payload=events.CustomerExported(customer_id=customer.pk, form=form, cases=len(export.data["cases"])),
        actor=actor,
        subject=f"customer:{customer.pk}",
        location_id=customer.home_location_id,
        note=f"Customer {customer.pk}'s data exported ({form}).",
        now=now,
    )
    return export
