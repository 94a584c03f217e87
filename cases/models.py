import re
import uuid
from typing import cast

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.translatable import translate_filled

from . import sla
from .severity import WORDS, Lost, Severity, duration_words
from .states import Outcome, State


def _choices(enum) -> list[tuple[str, str]]:
    # The pure rules label their members in English, marked for translation there: translated when
    # shown. A lazy label stands for a str, as Django's own TextChoices labels are typed.
    return [(member.value, cast(str, _(member.label))) for member in enum]


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    ONLINE_REVIEW = "online_review", _("Online review")
    # The customer's own report, on the location's public page (portal's self-report).
    ONLINE = "online", _("Online (the customer's own report)")


class Category(models.TextChoices):
    BILLING_ERROR = "billing_error", _("Billing error")
    PRODUCT_QUALITY = "product_quality", _("Product quality")
    DELAY = "delay", _("Delay or long wait")
    DEFECTIVE_PRODUCT = "defective_product", _("Defective product")
    MISSED_APPOINTMENT = "missed_appointment", _("Missed appointment")
    STAFF_CONDUCT = "staff_conduct", _("Staff conduct or poor service")
    BROKEN_PROMISE = "broken_promise", _("Broken promise")
    OTHER = "other", _("Other")


SEVERITY_CHOICES = _choices(Severity)
LOST_CHOICES = _choices(Lost)
STATE_CHOICES = _choices(State)
OUTCOME_CHOICES = _choices(Outcome)

REFERENCE_PREFIX = "SR-"
_REFERENCE = re.compile(r"^\s*(?:SR-?)?0*(\d{1,12})\s*$", re.IGNORECASE)


def parse_reference(text: str) -> int | None:
    """'SR-000123', 'sr123' or '123' -> 123; anything else -> None."""
    match = _REFERENCE.match(text)
    return int(match.group(1)) if match else None


class Case(models.Model):
    """One incident: a customer let down, and what we do about it.

    The reference is the primary key in a human-friendly form (SR-000123):
    unique by construction and never reused.
    """

    customer = models.ForeignKey("customers.Customer", on_delete=models.PROTECT, related_name="cases")
    location = models.ForeignKey("accounts.Location", on_delete=models.PROTECT, related_name="cases")
    channel = models.CharField(max_length=20, choices=Channel.choices)
    category = models.CharField(max_length=30, choices=Category.choices)
    description = models.TextField(_("what happened"), max_length=4000)
    occurred_at = models.DateTimeField(_("when it happened"))
    order_value = models.DecimalField(_("what they paid for it"), max_digits=12, decimal_places=2, default=0)
    hidden_costs = models.DecimalField(_("customer's hidden costs"), max_digits=12, decimal_places=2, default=0)
    # Money wrongly taken (a billing error): the most that may be given back as a correction.
    overcharge = models.DecimalField(_("amount overcharged"), max_digits=12, decimal_places=2, default=0)
    hidden_costs_description = models.CharField(_("what the hidden costs were"), max_length=300, blank=True)
    # db_default on the engine's facts too: rows written by raw COPY (seed_bench) or older code.
    lost = models.CharField(
        _("how much of what they paid for they lost"),
        max_length=4,
        choices=LOST_CHOICES,
        default=Lost.NONE.value,
        db_default=Lost.NONE.value,
    )
    time_lost_minutes = models.PositiveIntegerField(_("time it cost them, in minutes"), default=0, db_default=0)
    occasion_mattered = models.BooleanField(_("it was for an occasion or a deadline"), default=False, db_default=False)
    treated_poorly = models.BooleanField(_("the customer was treated poorly or personally offended"), default=False)
    # db_default too: rows written by raw COPY (seed_bench) or older code get False, not NULL.
    fixed_on_spot = models.BooleanField(_("put right there and then"), default=False, db_default=False)
    repeat_incident = models.BooleanField(
        default=False, help_text=_("The same customer had another case within the 90 days before.")
    )
    promised_callback_at = models.DateTimeField(_("callback promised for"), null=True, blank=True)

    severity = models.CharField(max_length=10, choices=SEVERITY_CHOICES)
    suggested_severity = models.CharField(max_length=10, choices=SEVERITY_CHOICES)
    severity_override_reason = models.CharField(max_length=300, blank=True)

    state = models.CharField(max_length=20, choices=STATE_CHOICES, default=State.OPEN.value)
    outcome = models.CharField(max_length=10, choices=OUTCOME_CHOICES, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    sla_due_at = models.DateTimeField(_("first contact due"))
    # The deadline was counted in the location's working time (the policy said so when it was logged).
    # db_default: rows written by raw COPY or older code were on the wall clock.
    sla_in_working_time = models.BooleanField(_("first contact due in working hours"), default=False, db_default=False)
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Empty for a case the customer reported themselves (cases.services.case_report).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="logged_cases", null=True, blank=True
    )
    # The form's one-time token: the same submit twice finds this case again.
    submission_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # The closed case this one continues: the customer wrote back long after it closed (inbox/).
    follows = models.ForeignKey(
        "self", on_delete=models.SET_NULL, related_name="followed_by", null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["location", "-created_at"], name="case_location_created"),
            models.Index(fields=["location", "state", "-created_at"], name="case_loc_state_created"),
            models.Index(fields=["assignee", "state", "-created_at"], name="case_assignee_state"),
            models.Index(fields=["-created_at", "-id"], name="case_created"),
            models.Index(
                fields=["state", "sla_due_at"], name="case_state_sla", condition=Q(first_contact_at__isnull=True)
            ),
            models.Index(fields=["customer", "-created_at"], name="case_customer_created"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(order_value__gte=0), name="case_order_value_not_negative"),
            models.CheckConstraint(condition=Q(hidden_costs__gte=0), name="case_hidden_costs_not_negative"),
            models.CheckConstraint(condition=Q(overcharge__gte=0), name="case_overcharge_not_negative"),
            # The engine reads it as one of these (recovery.selectors.case_facts): never anything else.
            models.CheckConstraint(condition=Q(lost__in=[lost.value for lost in Lost]), name="case_lost_known"),
            models.CheckConstraint(
                condition=Q(state=State.CLOSED.value, closed_at__isnull=False) & ~Q(outcome="")
                | ~Q(state=State.CLOSED.value) & Q(outcome=""),
                name="case_outcome_only_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.customer}"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"{REFERENCE_PREFIX}{self.pk:06d}" if self.pk else ""

    @property
    def state_enum(self) -> State:
        return State(self.state)

    @property
    def severity_enum(self) -> Severity:
        return Severity(self.severity)

    @property
    def at_stake(self):
        """What the customer lost: the price of what failed plus their own costs."""
        return self.order_value + self.hidden_costs

    @property
    def is_overdue(self) -> bool:
        return sla.is_overdue(
            sla_due_at=self.sla_due_at,
            first_contact_at=self.first_contact_at,
            closed=self.state == State.CLOSED.value,
            now=timezone.now(),
        )

    @property
    def time_lost_words(self) -> str:
        """The time it cost the customer, as people say it, in the active language."""
        return translate_filled(duration_words(self.time_lost_minutes), WORDS, gettext)

    @property
    def severity_overridden(self) -> bool:
        return self.severity != self.suggested_severity


class Event(models.Model):
    """One entry of the event log: a case's timeline and the audit trail in one table.

    Written only by `cases.events.record` (a test looks for any other insert), never edited
    (only a customer's erasure blanks its words, through the same module). `kind` names what
    happened as a public API would (`case.state_changed`); `payload` says what changed, typed
    per kind in cases/events.py; `note` is the line a person reads on the timeline.
    """

    class Kind(models.TextChoices):
        CASE_LOGGED = "case.logged", _("Case logged")
        CASE_STATE_CHANGED = "case.state_changed", _("State changed")
        CASE_NOTE_ADDED = "case.note_added", _("Note")
        CASE_CONTACT_MADE = "case.contact_made", _("Customer contacted")
        CASE_CALLBACK_PROMISED = "case.callback_promised", _("Callback promised")
        CASE_CALLBACK_MADE = "case.callback_made", _("Called back")
        CASE_ASSIGNED = "case.assigned", _("Assigned")
        CASE_SEVERITY_CHANGED = "case.severity_changed", _("Severity changed")
        CASE_OVERCHARGE_RECORDED = "case.overcharge_recorded", _("Overcharge recorded")
        PROPOSAL_MADE = "proposal.made", _("Remedy proposed")
        PROPOSAL_PASSED_UP = "proposal.passed_up", _("Passed up to an owner")
        PROPOSAL_DECIDED = "proposal.decided", _("Proposal decided")
        PROPOSAL_AMENDED = "proposal.amended", _("Proposal amended")
        REMEDY_DELIVERED = "remedy.delivered", _("Remedy delivered")
        FOLLOWUP_PLANNED = "followup.planned", _("Follow-up planned")
        FOLLOWUP_SKIPPED = "followup.skipped", _("Follow-up not scheduled")
        FOLLOWUP_MOVED = "followup.moved", _("Follow-up moved")
        FOLLOWUP_CANCELLED = "followup.cancelled", _("Follow-up cancelled")
        FOLLOWUP_DONE = "followup.done", _("Follow-up done")
        FOLLOWUP_SENT = "followup.sent", _("Follow-up sent")
        FOLLOWUP_FAILED = "followup.failed", _("Follow-up failed")
        CORRECTIVE_ACTION_LINKED = "corrective_action.linked", _("Corrective action linked")
        CORRECTIVE_ACTION_UNLINKED = "corrective_action.unlinked", _("Corrective action unlinked")
        CORRECTIVE_ACTION_CANCELLED = "corrective_action.cancelled", _("Corrective action cancelled")
        CORRECTIVE_ACTION_COMPLETED = "corrective_action.completed", _("Corrective action completed")
        # Staff wrote to the customer (conversations/); its delivery is the follow-up's
        # followup.sent or followup.failed, with the same followup_id.
        MESSAGE_CREATED = "message.created", _("Message to the customer")
        CUSTOMER_ANSWERED = "customer.answered", _("Customer answered")
        CUSTOMER_ANONYMISED = "customer.anonymised", _("Customer anonymised")
        # The audit trail's own lines about a customer's data (privacy/): handed over, or erased (on
        # request or by the retention rule). About the customer (subject "customer:<id>"), not a case.
        CUSTOMER_EXPORTED = "customer.exported", _("Customer's data exported")
        CUSTOMER_ERASED = "customer.erased", _("Customer's data erased")
        POLICY_PUBLISHED = "policy.published", _("Policy published")
        MESSAGE_WORDING_CHANGED = "message_wording.changed", _("Message wording changed")
        SAVED_REPLY_CREATED = "saved_reply.created", _("Saved reply added")
        SAVED_REPLY_CHANGED = "saved_reply.changed", _("Saved reply changed")
        SAVED_REPLY_RETIRED = "saved_reply.retired", _("Saved reply retired")
        SAVED_REPLY_RESTORED = "saved_reply.restored", _("Saved reply restored")
        USER_CREATED = "user.created", _("User created")
        USER_CHANGED = "user.changed", _("User changed")
        USER_DELETED = "user.deleted", _("User deleted")
        LOCATION_CREATED = "location.created", _("Location created")
        LOCATION_CHANGED = "location.changed", _("Location changed")
        LOCATION_DELETED = "location.deleted", _("Location deleted")
        # An owner gave the location's report page a new link: the old one (and its printed QR codes) ends.
        LOCATION_REPORT_LINK_RENEWED = "location.report_link_renewed", _("Report link renewed")
        ATTACHMENT_ADDED = "attachment.added", _("File attached")
        # An email from the customer about the case (inbox/): its text, trimmed of quoted history.
        CUSTOMER_REPLIED = "customer.replied", _("Customer wrote")
        # A key to the API (api/): made (a member of staff's own, or an owner's for an integration) or revoked.
        API_TOKEN_CREATED = "api_token.created", _("API token created")
        API_TOKEN_REVOKED = "api_token.revoked", _("API token revoked")
        # An owner registered, changed (its secret rotated, say) or removed a webhook endpoint (webhooks/).
        WEBHOOK_ENDPOINT_CREATED = "webhook_endpoint.created", _("Webhook endpoint added")
        WEBHOOK_ENDPOINT_CHANGED = "webhook_endpoint.changed", _("Webhook endpoint changed")
        WEBHOOK_ENDPOINT_DELETED = "webhook_endpoint.deleted", _("Webhook endpoint removed")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", null=True, blank=True)
    # The case's location, or the location a change concerns: what scopes an entry to a reader.
    location = models.ForeignKey(
        "accounts.Location", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    created_at = models.DateTimeField(default=timezone.now)
    # Where the change came from: the address of the request that made it (none for the system).
    ip = models.GenericIPAddressField(null=True, blank=True)
    # What a change outside a case is about, as "<type>:<id>" ("user:12").
    subject = models.CharField(max_length=60, blank=True)
    from_state = models.CharField(max_length=20, choices=STATE_CHOICES, blank=True)
    to_state = models.CharField(max_length=20, choices=STATE_CHOICES, blank=True)
    note = models.TextField(max_length=4000, blank=True)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        permissions = [("view_audit_trail", "Can read the whole audit trail")]
        indexes = [
            models.Index(fields=["case", "created_at"], name="caseevent_case_created"),
            # The dashboard's refresh finds the cases that changed since it last looked.
            models.Index(fields=["created_at"], name="caseevent_created"),
            # The audit trail, filtered by kind.
            models.Index(fields=["kind", "created_at"], name="event_kind_created"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.case_id or self.subject}"
