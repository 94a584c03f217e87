"""Recording how each remedy reached the customer; the last one moves the case on."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import events
from cases.events import Kind
from cases.models import Case
from cases.services import case_remedies, case_transition
from cases.states import State, allowed_next
from core.exceptions import ApplicationError

from ..authority import check_location
from ..models import LedgerEntry, Proposal, ProposalLine
from ..policy import RemedyKind
from .lines import (
    _summary,
)

NOT_APPROVED = _("Only an approved proposal can be delivered.")


@transaction.atomic
def remedy_deliver(
    *, line: ProposalLine, actor: User, reference: str = "", now: datetime | None = None
) -> ProposalLine:
    """Record how one remedy reached the customer. When every remedy of the proposal has,
    the proposal is delivered and the case moves on."""
    now = now or timezone.now()
    line = (
        ProposalLine.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__case")
        .get(pk=line.pk)
    )
    proposal = line.proposal
    check_location(actor, proposal.case.location_id)
    if proposal.state != Proposal.State.APPROVED:
        raise ApplicationError(NOT_APPROVED)
    if line.delivered_at is not None:
        return line
    line.delivered_at, line.delivered_by, line.delivery_reference = now, actor, reference.strip()
    line.save(update_fields=["delivered_at", "delivered_by", "delivery_reference"])
    if line.face_value > 0:
        LedgerEntry.objects.create(
            line=line,
            location_id=proposal.case.location_id,
            entry=LedgerEntry.Entry.DELIVERED,
            kind=line.kind,
            amount=line.face_value,
            cost=line.cost,
            is_compensation=line.kind != RemedyKind.CORRECTION.value,
            created_at=now,
        )
    all_delivered = not proposal.lines.filter(delivered_at__isnull=True).exists()
    if all_delivered:
        proposal.state = Proposal.State.DELIVERED
        proposal.revision += 1
        proposal.save(update_fields=["state", "revision"])
        note = f"Delivered {_summary(proposal)}."
    else:
        label = RemedyKind(line.kind).label
        note = f"Delivered: {label}" + (f" ({line.delivery_reference})" if reference else ".")
    # When the last remedy is out, the customer hears what was done (followups/reactions.py).
    events.record(
        kind=Kind.REMEDY_DELIVERED,
        case=proposal.case,
        actor=actor,
        now=now,
        note=note,
        payload=events.RemedyDelivered(
            proposal_id=proposal.pk,
            line_id=line.pk,
            remedy=line.kind,
            reference=line.delivery_reference,
            all_delivered=all_delivered,
        ),
    )
    if all_delivered and _moves_on(proposal.case):
        case_transition(case=proposal.case, actor=actor, to_state=State.REMEDY_DELIVERED, now=now)
    return line


def _moves_on(case: Case) -> bool:
    """Whether delivering a proposal moves the case to "remedy delivered". Not when it is there
    already or past it (a second approval delivered after the first), nor while another proposal
    waits for a decision: the delivery is on the timeline all the same, and refusing it would
    leave a remedy the customer has in hand recorded as owed."""
    return State.REMEDY_DELIVERED in allowed_next(case.state_enum, case_remedies(case))
