"""Remedies: the owner's policy (versioned), proposals, their approval, delivery and the ledger."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from .policy import RemedyKind, Role
from .totals import Totals

REMEDY_CHOICES = [(kind.value, kind.label) for kind in RemedyKind]
ROLE_CHOICES = [(role.value, role.value) for role in Role]


class PolicyVersion(models.Model):
    """One version of the recovery policy and remedy catalogue. Never edited: a change is a new version.

    Suggestions and decisions point at the version they used, so history stays true.
    """

    generosity = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.10"))
    partial_share_minor = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.10"))
    partial_share_moderate = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.25"))
    partial_share_major = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.50"))
    partial_share_critical = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.80"))
    gesture_minor = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(0))
    gesture_moderate = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(10))
    gesture_major = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(25))
    gesture_critical = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(50))
    billing_gesture = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal(5))
    max_multiple_of_base = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.50"))
    max_share_of_yearly_value = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0.50"))
    frontline_limit = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(50))
    manager_limit = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(500))
    owner_limit = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    monthly_budget_per_location = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal(2000))
    personal_call_within_hours = models.PositiveIntegerField(default=24)
    credit_multiple = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1.25"))
    # The follow-up clock (followups/plans.py).
    callback_reminder_minutes = models.PositiveIntegerField(
        "remind staff this many minutes before a promised callback", default=15
    )
    callback_escalation_minutes = models.PositiveIntegerField(
        "escalate this many minutes after a callback not marked done", default=30
    )
    remedy_delivery_hours = models.PositiveIntegerField(
        "remind the assignee if an approved remedy is not delivered within (hours)", default=48
    )
    satisfaction_check_days = models.PositiveIntegerField(
        "ask the customer whether things are right this many days after closing", default=7
    )
    # The catalogue as it stood in this version: {kind: {enabled, cost_ratio, is_money, granted_by}}.
    catalogue = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField("what changed", max_length=300, blank=True)

    class Meta:
        ordering = ["-id"]
        get_latest_by = "id"
        constraints = [
            models.CheckConstraint(
                condition=Q(generosity__gte=Decimal("0.5"), generosity__lte=Decimal("2")), name="policy_generosity_sane"
            ),
            models.CheckConstraint(
                condition=Q(frontline_limit__gte=0, manager_limit__gte=F("frontline_limit")),
                name="policy_limits_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Policy v{self.pk}"

    @property
    def version(self) -> int:
        return self.pk


class Proposal(models.Model):
    """What we offer the customer on a case: a bundle of remedies, and its approval."""

    class State(models.TextChoices):
        PENDING = "pending", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        DELIVERED = "delivered", "Delivered"
        WITHDRAWN = "withdrawn", "Withdrawn"

    # A remedy counts as given once approved, delivered yet or not.
    GRANTED_STATES = [State.APPROVED.value, State.DELIVERED.value]

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proposals")
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=120)
    suggested_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The suggestion taken as it was; empty if edited."
    )
    below_floor_reason = models.CharField(max_length=500, blank=True)
    state = models.CharField(max_length=12, choices=State.choices)
    compensation = models.DecimalField(max_digits=12, decimal_places=2)
    face_value = models.DecimalField(max_digits=12, decimal_places=2)
    cost = models.DecimalField(max_digits=12, decimal_places=2)
    approver_role = models.CharField(max_length=10, choices=ROLE_CHOICES, blank=True)
    approval_reason = models.CharField(max_length=500, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    # The policy in force when it was decided (it may be newer than the one it was proposed under).
    decision_policy = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    # Bumped on every change: a decision made on a page showing an older revision is refused.
    revision = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(unique=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        permissions = [("decide_proposal", "Can approve, amend or reject a proposal")]
        indexes = [
            models.Index(fields=["state", "proposed_at"], name="proposal_state_proposed"),
            models.Index(fields=["case", "-proposed_at"], name="proposal_case"),
            # The dashboard: approvals of the last hours whose remedies are not delivered yet.
            models.Index(fields=["decided_at"], name="proposal_approved_decided", condition=Q(state="approved")),
        ]
        constraints = [
            # Nobody approves their own proposal: enforced by the database too.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="proposal_not_decided_by_proposer",
            ),
            models.CheckConstraint(condition=Q(compensation__gte=0, cost__gte=0), name="proposal_amounts_not_negative"),
            # At most one open proposal a case.
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="proposal_one_pending_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} for {self.case_id}"

    def get_absolute_url(self) -> str:
        return reverse("recovery:proposal", kwargs={"pk": self.pk})

    @property
    def totals(self) -> Totals:
        """Compensation, its cost to us and what is owed back, apart (recovery/totals.py), from the
        stored sums: what is not compensation is a correction, which costs what it gives back
        (it is owed, never in the catalogue, so its cost ratio is 1)."""
        owed_back = self.face_value - self.compensation
        return Totals(self.compensation, self.cost - owed_back, owed_back)


class ProposalLine(models.Model):
    """One remedy in a proposal, and how it reached the customer."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=REMEDY_CHOICES)
    face_value = models.DecimalField(max_digits=12, decimal_places=2)
    cost = models.DecimalField(max_digits=12, decimal_places=2)
    reason = models.CharField(max_length=500, blank=True)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="A discount as a share of a future purchase; the value is its estimate.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_reference = models.CharField(
        max_length=200, blank=True, help_text="Refund reference, gift card code, who called and when…"
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(face_value__gte=0, cost__gte=0), name="proposal_line_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.face_value}"


class LedgerEntry(models.Model):
    """Every approved and delivered amount, with its cost to the business. Append-only."""

    class Entry(models.TextChoices):
        APPROVED = "approved", "Approved"
        DELIVERED = "delivered", "Delivered"

    line = models.ForeignKey(ProposalLine, on_delete=models.PROTECT, related_name="ledger")
    location = models.ForeignKey("accounts.Location", on_delete=models.PROTECT, related_name="+")
    entry = models.CharField(max_length=10, choices=Entry.choices)
    kind = models.CharField(max_length=20, choices=REMEDY_CHOICES)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    cost = models.DecimalField(max_digits=12, decimal_places=2)
    is_compensation = models.BooleanField(default=True, help_text="False for a correction of an overcharge.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "ledger entries"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["location", "entry", "created_at"], name="ledger_location_entry")]
        constraints = [
            models.UniqueConstraint(fields=["line", "entry"], name="ledger_once_per_line_and_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_display()} {self.amount}"
