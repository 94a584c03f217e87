"""Services that change several apps at once, orchestrated from the top floor."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from attachments.services import attachments_erase
from cases import events
from cases.models import Case
from customers.models import Customer
from followups.models import FollowUp
from followups.plans import NEEDS_CONTACT, Purpose
from followups.services import followups_cancel_purposes
from inbox.services import inbound_erase
from portal.models import SatisfactionResponse

ANONYMISED_NAME = "Anonymised customer"
REMOVED = "(removed: the customer was anonymised)"


@transaction.atomic
def customer_anonymise(*, customer: Customer, actor: User, now: datetime | None = None) -> Customer:
    """Remove everything that names or reaches the customer, keeping their cases as the
    business's record of what happened. Their case texts are replaced, messages still
    scheduled to them are cancelled, and their link stops working. Doing it twice
    changes nothing the second time."""
    now = now or timezone.now()
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    if customer.anonymised_at is not None:
        return customer
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
    cases = Case.objects.filter(customer=customer)
    cases.update(description=REMOVED, updated_at=now)
    cases.exclude(hidden_costs_description="").update(hidden_costs_description=REMOVED)
    cases.exclude(severity_override_reason="").update(severity_override_reason=REMOVED)
    SatisfactionResponse.objects.filter(case__customer=customer).exclude(comment="").update(comment=REMOVED)
    # What staff and the customer wrote on the timeline may name or describe them.
    events.erase_words(customer_id=customer.pk, replacement=REMOVED)
    # The messages staff wrote are stored as the customer read them, their name and all.
    FollowUp.objects.filter(case__customer=customer, purpose=Purpose.STAFF_MESSAGE.value).update(
        subject=REMOVED, body=REMOVED
    )
    case_ids = list(cases.values_list("pk", flat=True))
    # Their photos and documents: a receipt names them, a photo may show them or their home.
    attachments_erase(case_ids=case_ids)
    # The emails they sent, as received: their address, their words, their signature.
    inbound_erase(case_ids=case_ids)
    # Nobody can be called or written to any more; delivering what is owed still can be.
    for case_id in case_ids:
        followups_cancel_purposes(case=case_id, purposes=NEEDS_CONTACT)
    events.record_each(
        kind=events.Kind.CUSTOMER_ANONYMISED,
        payload=events.CustomerAnonymised(customer_id=customer.pk),
        case_ids=case_ids,
        actor=actor,
        note=(
            "The customer's personal details were removed at their request: notes on this timeline "
            "cleared, photos and files deleted, messages and calls to them cancelled."
        ),
        now=now,
    )
    return customer
