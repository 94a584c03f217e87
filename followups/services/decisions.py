"""Telling a proposer, by email, what was decided on their proposal.

The in-app notification is written in the decision's transaction (followups/reactions.py);
this is only the email, sent after commit by a task that may be retried: every attempt
carries the same Message-ID, so a mail outage delays one message rather than making several.
"""

from django.template.loader import render_to_string

from cases.models import Event
from core.links import absolute_url
from recovery.models import Proposal

from ..channels import OutgoingMessage, send_email


def decision_email(event: Event) -> OutgoingMessage:
    """The email for a `proposal.decided` event."""
    proposal = Proposal.objects.select_related("case", "proposed_by", "decided_by").get(pk=event.payload["proposal_id"])
    verdict = event.payload["decision"]
    context = {"proposal": proposal, "verdict": verdict, "url": absolute_url(proposal.case.get_absolute_url())}
    return OutgoingMessage(
        to=proposal.proposed_by.email,
        subject=f"{proposal.case.reference}: proposal {verdict}",
        text=render_to_string("followups/email/proposal_decided.txt", context),
        html=render_to_string("followups/email/proposal_decided.html", context),
        message_id=f"<decision-{event.pk}@amends>",
    )


def decision_email_send(*, event_id: int) -> None:
    """Send the decision's email (raises OSError if the mail server refuses: the task retries)."""
    send_email(decision_email(Event.objects.get(pk=event_id, kind=Event.Kind.PROPOSAL_DECIDED)))
