"""Webhook endpoints owners register, and one delivery row per (endpoint, event) of the log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Endpoint(models.Model):
    """Where an owner wants the events of the log sent: a URL, the secret the requests are
    signed with (Standard Webhooks: `whsec_` and base64), the kinds wanted (none: all) and the
    locations whose events it gets (none: the whole business, events of no location too).

    `cursor` is how far into the log (by event id) the deliveries have surely been made:
    `scanned_to` was the log's last id at `scanned_at`, and becomes the cursor once a
    transaction still open then has had time to commit (services/delivery.py, the fan-out)."""

    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("what it is for"), max_length=100, blank=True)
    secret = models.CharField(max_length=100)
    kinds = models.JSONField(default=list, blank=True)
    locations = models.ManyToManyField("accounts.Location", blank=True, related_name="+")
    is_active = models.BooleanField(_("active"), default=True)
    cursor = models.BigIntegerField(default=0)
    scanned_to = models.BigIntegerField(default=0)
    scanned_at = models.DateTimeField(null=True, blank=True)
    # When the owners were last told that its deliveries fail: once an hour at most.
    failure_told_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The form's one-time token: the same submit twice registers one endpoint.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("webhook endpoint")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url


class Delivery(models.Model):
    """One event of the log to one endpoint: tried until the receiver answers 2xx, with backoff,
    for a day (`chain_started_at`), then failed. The claim is a lease (`claimed_until`), as the
    follow-ups' sender does; `webhook-id` is the event's, the same on every try."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey("cases.Event", on_delete=models.CASCADE, related_name="+")
    # The event's case, copied: a case's deliveries go in order without a join.
    case_id = models.BigIntegerField(null=True, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    chain_started_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_duration_ms = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["endpoint", "event"], name="webhook_delivery_once")]
        indexes = [
            # The dispatcher's claim: pending rows in the log's order.
            models.Index(fields=["event"], name="webhook_delivery_pending", condition=Q(state="pending")),
            # In order per case: is an earlier one for the same case still pending?
            models.Index(
                fields=["endpoint", "case_id", "event"], name="webhook_delivery_case", condition=Q(state="pending")
            ),
            # The endpoint's delivery log, newest first, and its failures.
            models.Index(fields=["endpoint", "state", "id"], name="webhook_delivery_log"),
            # /metrics counts the failed ones at every scrape: the failures alone, not the whole log.
            models.Index(fields=["id"], name="webhook_delivery_failed", condition=Q(state="failed")),
        ]

    def __str__(self) -> str:
        return f"Event {self.event_id} to {self.endpoint_id}: {self.state}"

    @property
    def webhook_id(self) -> str:
        return message_id(self.event_id)


def message_id(event_id: int) -> str:
    """The `webhook-id` of an event's deliveries (and the payload's `id`): the same on every retry."""
    return f"evt_{event_id}"
