from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import default_language

from .plans import Purpose
from .states import FollowUpState

# The labels live in the pure rule modules, in English (marked there): translated when shown.
STATE_CHOICES = [(state.value, _(state.label)) for state in FollowUpState]
PURPOSE_CHOICES = [(purpose.value, _(purpose.label)) for purpose in Purpose]


class FollowUp(models.Model):
    """A scheduled action on a case: a reminder to staff, a message to the customer, a satisfaction check.

    The database is the source of truth: a worker claims a due row for a while
    (`claimed_until`, a short lease its worker renews while it works) and marks the
    outcome; a row whose worker died is claimed again when the lease runs out.
    `attempts` counts the sends tried (not the claims); a temporary failure is tried
    again until a day after `failing_since`, when it first failed.
    """

    class Kind(models.TextChoices):
        STAFF_REMINDER = "staff_reminder", _("Reminder to staff")
        ESCALATION = "escalation", _("Escalation to managers")
        CUSTOMER_MESSAGE = "customer_message", _("Message to the customer")
        SATISFACTION_CHECK = "satisfaction_check", _("Satisfaction check")

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("In the app")
        EMAIL = "email", _("Email")
        SMS = "sms", _("Text message")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.CharField(max_length=30, choices=PURPOSE_CHOICES, default=Purpose.MANUAL.value)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="followups",
        help_text=_("Staff recipient; empty for the customer."),
    )
    subject = models.CharField(max_length=200)
    # For a message to the customer: the part staff wrote (what changed, say); the
    # owner's template for the purpose wraps it when it is sent.
    body = models.TextField(max_length=4000, blank=True)
    due_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=STATE_CHOICES, default=FollowUpState.SCHEDULED.value)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_until = models.DateTimeField(null=True, blank=True)
    # When it first failed to go (a try that failed, or a lease that ran out with no outcome):
    # the start of the window in which it is tried again (followups/retries.py).
    failing_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A form's one-time token, for follow-ups planned by hand: the same submit twice plans one.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("follow-up")
        ordering = ["due_at", "id"]
        permissions = [("resolve_followup", "Can see and resolve follow-ups that could not be sent")]
        indexes = [
            # The dispatcher's sweep: scheduled rows by due time, and nothing else.
            models.Index(fields=["due_at"], name="followup_due_scheduled", condition=Q(state="scheduled")),
            models.Index(fields=["case", "due_at"], name="followup_case_due"),
            # What managers must see: messages that could not be sent.
            models.Index(fields=["due_at"], name="followup_failed", condition=Q(state="failed")),
            # ... and, for a manager's badge, joined to their locations' cases.
            models.Index(fields=["case"], name="followup_failed_case", condition=Q(state="failed")),
            models.Index(fields=["recipient", "state", "due_at"], name="followup_recipient_state"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(sent_at__isnull=True) | Q(state__in=["sent", "done"]),
                name="followup_sent_at_only_when_sent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.case_id} at {self.due_at:%Y-%m-%d %H:%M}"


class MessageTemplate(models.Model):
    """The owner's wording of one kind of message to customers in one language, replacing the
    built-in default (followups/messages.py, translated). Plain text with {{ placeholders }};
    the HTML version is made from it in the house layout."""

    purpose = models.CharField(max_length=30, choices=PURPOSE_CHOICES)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=default_language)
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["purpose", "language"]
        constraints = [
            models.UniqueConstraint(fields=["purpose", "language"], name="message_template_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.language})"


class DigestLog(models.Model):
    """A staff member's daily digest was sent for this day: sending it again does nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="digest_once_a_day")]

    def __str__(self) -> str:
        return f"Digest for {self.user_id} on {self.day}"
