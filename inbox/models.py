"""What came in by email, each message once (its Message-ID is unique).

The raw message is kept in the row (a size-capped binary field) rather than through the storage
API: it then commits or rolls back with the row and its decision, one unique key guards both,
nothing is left behind by a rolled-back delivery, and a customer's erasure reaches it with one
UPDATE. Attachments worth keeping become the case's attachments (attachments/, in the
storage); the raw copy is the record of what arrived.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InboundMessage(models.Model):
    class Route(models.TextChoices):
        IMAP = "imap", _("IMAP mailbox")
        WEBHOOK = "webhook", _("Inbound endpoint")

    class Outcome(models.TextChoices):
        ATTACHED = "attached", _("Put on its case")
        OPENED = "opened", _("Opened a case")
        REOPENED = "reopened", _("Reopened its case")
        LINKED = "linked", _("Opened a new case, linked to the closed one")
        AUTO_REPLY = "auto_reply", _("Ignored: an automatic reply")
        LOOP = "loop", _("Ignored: our own mail come back")
        BOUNCE = "bounce", _("A delivery failure")
        REJECTED = "rejected", _("Rejected")

    message_id = models.CharField(max_length=255, unique=True)
    route = models.CharField(max_length=10, choices=Route.choices)
    received_at = models.DateTimeField(default=timezone.now)
    sender = models.CharField(max_length=254, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    size = models.PositiveIntegerField(default=0)
    raw = models.BinaryField(editable=False)
    outcome = models.CharField(max_length=12, choices=Outcome.choices)
    # Why it was ignored or rejected, or what was done (said once, read on the inbox page).
    reason = models.CharField(max_length=300, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, related_name="inbound_messages", null=True, blank=True
    )
    # The case's location, or the location whose address it was sent to: who sees it on the inbox page.
    location = models.ForeignKey(
        "accounts.Location", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    # Sent from an address other than the case's customer's on file (flagged, not dropped).
    from_address_on_file = models.BooleanField(default=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["location", "-received_at"], name="inbound_location_received")]

    def __str__(self) -> str:
        return f"{self.message_id} ({self.get_outcome_display()})"


class WebhookToken(models.Model):
    """A token the inbound endpoint accepted: the same one again is a replay. Tokens older than
    the accepted age are refused by their timestamp anyway, so old rows are dropped."""

    token = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.token
