"""Telling a proposer what was decided on their proposal.

The in-app notification is written in the decision's transaction (followups/reactions.py
calls `decision_notify`); the email is sent after commit by a task that may be retried: every
attempt carries the same Message-ID, so a mail outage delays one message rather than making
several.
"""

from django.template.loader import render_to_string
from django.utils.translation import gettext

from cases import events
from cases.models import Event
from core.links import absolute_url
from core.services import notify
from recovery.models import Proposal

from ..channels import OutgoingMessage, send_email


def decision_notify(event: Event) -> Proposal:
    """The proposer's in-app notification of a `proposal.decided` event; returns the proposal."""
    payload = events.ProposalDecided(**event.payload)
    proposal = Proposal.objects.select_related("case", "proposed_by").get(pk=payload.proposal_id)
    text = f"{proposal.case.reference}: your proposal “{proposal.title}” was {payload.decision} by {event.actor}." + (
        f" Their reason: “{payload.reason}”" if payload.reason else ""
    )
    notify(user=proposal.proposed_by, text=text, url=proposal.case.get_absolute_url())
    return proposal


def decision_of(proposal_id: int) -> Event | None:
    """The latest `proposal.decided` event of a proposal."""
    decided = Event.objects.filter(kind=Event.Kind.PROPOSAL_DECIDED, payload__proposal_id=proposal_id)
    return decided.select_related("actor").order_by("-created_at", "-id").first()


def decision_email(event: Event) -> OutgoingMessage:
    """The email for a `proposal.decided` event."""
    proposal = Proposal.objects.select_related("case", "proposed_by", "decided_by").get(pk=event.payload["proposal_id"])
    verdict = event.payload["decision"]
    context = {"proposal": proposal, "verdict": verdict, "url": absolute_url(proposal.case.get_absolute_url())}
    # A whole sentence for each decision, for translators (and the templates say it the same way).
    if verdict == "approved":
        subject = gettext("%(reference)s: proposal approved") % {"reference": proposal.case.reference}
    else:
        subject = gettext("%(reference)s: proposal rejected") % {"reference": proposal.case.reference}
    return OutgoingMessage(
        to=proposal.proposed_by.email,
        subject=subject,
        text=render_to_string("followups/email/proposal_decided.txt", context),
        html=render_to_string("followups/email/proposal_decided.html", context),
        message_id=f"<decision-{event.pk}@amends>",
    )


def decision_email_send(*, event_id: int) -> None:
    """Send the decision's email (raises OSError if the mail server refuses: the task retries)."""
    send_email(decision_email(Event.objects.get(pk=event_id, kind=Event.Kind.PROPOSAL_DECIDED)))
