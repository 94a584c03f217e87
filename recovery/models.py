"""Remedies: the owner's policy (versioned), proposals, their approval, delivery and the ledger."""

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .policy import BOUNDS, RemedyKind, Role
from .totals import Totals

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# A policy value outside its limits (recovery/policy.py BOUNDS); the policy form says it too.
AT_LEAST = _("At least {low}.")
AT_MOST = _("At most {high}.")
# The labels are marked in recovery/policy.py (no Django there); translated here when shown.
REMEDY_CHOICES = [(kind.value, _(kind.label)) for kind in RemedyKind]
ROLE_CHOICES = [(role.value, role.value) for role in Role]


def _bounded(name: str, field_class, label: "StrOrPromise", help_text: "StrOrPromise", **kwargs):
    """A policy value with a plain label, a line of help, and its limits (recovery/policy.py BOUNDS)."""
    low, high = BOUNDS[name]
    validators = [
        MinValueValidator(low, format_lazy(AT_LEAST, low=low)),
        MaxValueValidator(high, format_lazy(AT_MOST, high=f"{high:,}")),
    ]
    return field_class(label, help_text=help_text, validators=validators, **kwargs)


def _gesture(severity: str, label: "StrOrPromise", default: Decimal):
    return _bounded(
        f"gesture_{severity}",
        models.DecimalField,
        label,
        _("The least a remedy gives beyond words at this severity, whatever the price (a free dessert, a voucher)."),
        max_digits=10,
        decimal_places=2,
        default=default,
    )


def _ratio(name: str, label: "StrOrPromise", help_text: "StrOrPromise", default: Decimal):
    """A share or a multiple (0.25 is a quarter, 1.25 a quarter more)."""
    return _bounded(name, models.DecimalField, label, help_text, max_digits=4, decimal_places=2, default=default)


def _limit(name: str, label: "StrOrPromise", help_text: "StrOrPromise", default: Decimal | None, **kwargs):
    return _bounded(
        name, models.DecimalField, label, help_text, max_digits=12, decimal_places=2, default=default, **kwargs
    )


class PolicyVersion(models.Model):
    """One version of the recovery policy and remedy catalogue. Never edited: a change is a new version.

    Suggestions and decisions point at the version they used, so history stays true.
    """

    # Plain words for the policy page: the label says what it is, the help what it does.
    generosity = _ratio(
        "generosity",
        _("How generous"),
        _("How far past the customer's loss a remedy aims: 1.10 gives 10% more than they lost, 1.00 exactly that."),
        Decimal("1.10"),
    )
    gesture_minor = _gesture("minor", _("Least gesture when minor"), Decimal(0))
    gesture_moderate = _gesture("moderate", _("Least gesture when moderate"), Decimal(10))
    gesture_major = _gesture("major", _("Least gesture when major"), Decimal(25))
    gesture_critical = _gesture("critical", _("Least gesture when critical"), Decimal(50))
    billing_gesture = _bounded(
        "billing_gesture",
        models.DecimalField,
        _("Gesture on top of a billing error"),
        _("A billing error is put right in full, with at least this as a gesture for the trouble."),
        max_digits=10,
        decimal_places=2,
        default=Decimal(5),
    )
    max_multiple_of_base = _ratio(
        "max_multiple_of_base",
        _("Most compensation, as a multiple of the loss"),
        _("A remedy never pays more than this many times what the customer lost: 1.50 is one and a half times."),
        Decimal("1.50"),
    )
    max_share_of_yearly_value = _ratio(
        "max_share_of_yearly_value",
        _("Most compensation, as a share of a year's spending"),
        _(
            "Nor more than this share of what the customer spends with us in a year (0.50 is half), "
            "unless that would pay less than their loss."
        ),
        Decimal("0.50"),
    )
    frontline_limit = _limit(
        "frontline_limit", _("Frontline staff may grant up to"), _("Above this, a manager approves."), Decimal(50)
    )
    manager_limit = _limit(
        "manager_limit", _("Managers may grant up to"), _("Above this, an owner approves."), Decimal(500)
    )
    owner_limit = _limit(
        "owner_limit",
        _("Owners may grant up to"),
        _("The most an owner grants on one case; leave it empty for no limit."),
        None,
        null=True,
        blank=True,
    )
    monthly_budget_per_location = _limit(
        "monthly_budget_per_location",
        _("Monthly budget for each location"),
        _("The compensation each location may give in a calendar month, unless the location has a budget of its own."),
        Decimal(2000),
    )
    personal_call_within_hours = _bounded(
        "personal_call_within_hours",
        models.PositiveIntegerField,
        _("Personal call within (hours)"),
        _("After rudeness or a broken promise, a manager or owner calls the customer within this many hours."),
        default=24,
    )
    credit_multiple = _ratio(
        "credit_multiple",
        _("Credit instead of money, as a multiple"),
        _(
            "A discount or gift card is worth less to the customer than money now, so it is offered at this "
            "multiple of the cash amount: 1.25 turns £10 into £12.50 of credit."
        ),
        Decimal("1.25"),
    )
    # What the customer lost, as the engine weighs it (recovery/suggestions.py).
    part_share = _ratio(
        "part_share",
        _("Share of the price when part of it was lost"),
        _(
            "When the customer lost part of what they paid for (one dish of three, half the job), "
            "this share of the price counts as their loss: 0.50 is half."
        ),
        Decimal("0.50"),
    )
    used_share = _ratio(
        "used_share",
        _("Share of the price when they used it anyway"),
        _(
            "When the customer went ahead despite the flaw, this share of the price goes back "
            "(0.25 is a quarter), in full up to the amount below."
        ),
        Decimal("0.25"),
    )
    used_knee = _bounded(
        "used_knee",
        models.DecimalField,
        _("Full share up to a price of"),
        _(
            "Above this price, the share grows more slowly: the first part of a partial amount matters most "
            "to the customer, so a dear purchase does not get a dear sum for a small flaw."
        ),
        max_digits=12,
        decimal_places=2,
        default=Decimal(100),
    )
    time_value_per_hour = _bounded(
        "time_value_per_hour",
        models.DecimalField,
        _("An hour of the customer's time is worth"),
        _("What we add for each hour the failure cost the customer (waiting, coming back, calling us)."),
        max_digits=8,
        decimal_places=2,
        default=Decimal(10),
    )
    occasion_extra = _ratio(
        "occasion_extra",
        _("Extra when the occasion mattered"),
        _("How much more the loss weighs when it spoiled an occasion (a birthday, a deadline): 0.10 is a tenth more."),
        Decimal("0.10"),
    )
    typical_yearly_value = _limit(
        "typical_yearly_value",
        _("A typical customer spends a year"),
        _(
            "A customer whose yearly spending is not recorded is treated as this typical customer, so knowing "
            "a customer never gets them less. A location can set its own."
        ),
        Decimal(600),
    )
    high_value_from = _limit(
        "high_value_from",
        _("Most valued customers spend a year from"),
        _(
            "A customer who spends at least this with us in a year gets a personal call from the manager when "
            "we let them down, whatever the money."
        ),
        Decimal(2000),
    )
    # The follow-up clock (followups/plans.py).
    callback_reminder_minutes = _bounded(
        "callback_reminder_minutes",
        models.PositiveIntegerField,
        _("Remind staff before a promised callback (minutes)"),
        _("The assignee is reminded this many minutes before the time promised to the customer."),
        default=15,
    )
    callback_escalation_minutes = _bounded(
        "callback_escalation_minutes",
        models.PositiveIntegerField,
        _("Escalate a missed callback after (minutes)"),
        _("The location's managers are told if the callback is not marked done this many minutes after the time."),
        default=30,
    )
    remedy_delivery_hours = _bounded(
        "remedy_delivery_hours",
        models.PositiveIntegerField,
        _("Deliver an approved remedy within (hours)"),
        _("The assignee is reminded if an approved remedy has not reached the customer in this many hours."),
        default=48,
    )
    satisfaction_check_days = _bounded(
        "satisfaction_check_days",
        models.PositiveIntegerField,
        _("Ask the customer how it went after (days)"),
        _("This many days after a case is closed, the customer is asked whether things are right."),
        default=7,
    )
    # Deadlines counted only while the location is open (accounts/working_time.py): the first
    # contact, a callback's reminder and escalation, the reminder to deliver a remedy.
    deadlines_in_working_time = models.BooleanField(
        _("Count deadlines in working time"),
        default=False,
        db_default=False,  # versions written by older code: the wall clock
        help_text=_(
            "The first-contact deadline, a callback's reminder and escalation and the reminder to "
            "deliver a remedy run only while the location is open (its opening hours, closed dates and public "
            "holidays, set in the back office). A case logged on Saturday evening is then not overdue on Sunday."
        ),
    )
    # The catalogue as it stood in this version: {kind: {enabled, cost_ratio, is_money, granted_by}}.
    catalogue = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("what changed"), max_length=300, blank=True)

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
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        DELIVERED = "delivered", _("Delivered")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # A remedy counts as given once approved, delivered yet or not.
    GRANTED_STATES = [State.APPROVED.value, State.DELIVERED.value]

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="proposals")
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="proposals")
    title = models.CharField(max_length=120)
    suggested_rank = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=_("The suggestion taken as it was; empty if edited.")
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
    # When an approved remedy is due to reach the customer (recovery.policy.delivery_due: the
    # policy's hours, in the location's working time where it says so), worked out once at the
    # approval: the assignee's reminder is due then and the dashboard counts it late after.
    deliver_by = models.DateTimeField(null=True, blank=True)
    decision_reason = models.CharField(max_length=500, blank=True)
    # The policy in force when it was decided (it may be newer than the one it was proposed under).
    decision_policy = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    # Bumped on every change: a decision made on a page showing an older revision is refused.
    revision = models.PositiveIntegerField(default=1)
    submission_token = models.UUIDField(unique=True)
    # What similar cases said about these remedies when they were proposed (recovery/evidence.py
    # Evidence.to_json): the approver weighs the proposal as it was made; empty before it was kept.
    # db_default: seed_bench writes proposals with COPY, naming only the columns it knows.
    evidence = models.JSONField(default=dict, blank=True, db_default={})

    class Meta:
        ordering = ["-proposed_at", "-id"]
        permissions = [("decide_proposal", "Can approve, amend or reject a proposal")]
        indexes = [
            models.Index(fields=["state", "proposed_at"], name="proposal_state_proposed"),
            models.Index(fields=["case", "-proposed_at"], name="proposal_case"),
            # The dashboard: approvals not delivered yet, in time (`deliver_by` to come: a few
            # days' worth) or late.
            models.Index(fields=["deliver_by"], name="proposal_approved_deliver_by", condition=Q(state="approved")),
        ]
        constraints = [
            # Nobody approves their own proposal: enforced by the database too.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("proposed_by")),
                name="proposal_not_decided_by_proposer",
            ),
            models.CheckConstraint(condition=Q(compensation__gte=0, cost__gte=0), name="proposal_amounts_not_negative"),
            # An approved remedy always has its delivery deadline: the dashboard's "past the
            # delivery time" and its case list read it, and would disagree on a missing one.
            models.CheckConstraint(
                condition=~Q(state="approved") | Q(deliver_by__isnull=False), name="proposal_approved_has_deliver_by"
            ),
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
        help_text=_("A discount as a share of a future purchase; the value is its estimate."),
    )
    position = models.PositiveSmallIntegerField(default=0)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivery_reference = models.CharField(
        max_length=200, blank=True, help_text=_("Refund reference, gift card code, who called and when…")
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
        APPROVED = "approved", _("Approved")
        DELIVERED = "delivered", _("Delivered")

    line = models.ForeignKey(ProposalLine, on_delete=models.PROTECT, related_name="ledger")
    location = models.ForeignKey("accounts.Location", on_delete=models.PROTECT, related_name="+")
    entry = models.CharField(max_length=10, choices=Entry.choices)
    kind = models.CharField(max_length=20, choices=REMEDY_CHOICES)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    cost = models.DecimalField(max_digits=12, decimal_places=2)
    is_compensation = models.BooleanField(default=True, help_text=_("False for a correction of an overcharge."))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("ledger entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["location", "entry", "created_at"], name="ledger_location_entry")]
        constraints = [
            models.UniqueConstraint(fields=["line", "entry"], name="ledger_once_per_line_and_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_entry_display()} {self.amount}"


# Seconds a replay may run before Celery stops it (a year of 100,000 cases takes about a minute),
# and how long its page waits before saying it stopped.
REPLAY_TIME_LIMIT = 15 * 60
REPLAY_GIVE_UP_AFTER = timedelta(seconds=REPLAY_TIME_LIMIT + 5 * 60)


class PolicyReplay(models.Model):
    """A draft policy replayed over the last months' cases (recovery/replay.py), before an owner
    publishes it. A Celery task fills the result; publishing it makes the draft the next version."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to start")
        RUNNING = "running", _("Replaying")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    # The version in force when asked: the replay compares with it, and publishing a draft made
    # against an older version would quietly undo what was published since.
    based_on = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    draft = models.JSONField(help_text=_("The policy values and catalogue as typed, not yet published."))
    months = models.PositiveSmallIntegerField(default=12)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    published = models.OneToOneField(
        PolicyVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="replayed_as"
    )

    class Meta:
        ordering = ["-requested_at", "-id"]
        get_latest_by = "requested_at"

    def __str__(self) -> str:
        return f"Replay {self.pk} of a draft on v{self.based_on_id}"

    def get_absolute_url(self) -> str:
        return reverse("recovery:replay", kwargs={"pk": self.pk})

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED) or self.abandoned

    @property
    def abandoned(self) -> bool:
        """Still waiting long after any worker would have finished or been stopped: Celery's hard
        time limit kills a task without letting it write its failure, and a replay nobody picked
        up (no worker) would otherwise keep its page refreshing forever."""
        waiting = self.state in (self.State.PENDING, self.State.RUNNING)
        return waiting and timezone.now() - self.requested_at > REPLAY_GIVE_UP_AFTER


class OutcomeRollup(models.Model):
    """What became of the customers, by what they were given (recovery/outcomes.py): the
    counters of the cases logged on a day (or, a month row, in a month) at a location, of a
    category and severity, that fall under a (dimension, value) such as (kind, personal_call).

    Derived data like the dashboard's roll-ups, and kept true with them (dashboard/rollups.py);
    it lives here because the suggestions read it, and recovery sits below the dashboard.
    """

    grain = models.CharField(max_length=5)  # "day" or "month", as dashboard.models.Grain
    day = models.DateField()
    location = models.ForeignKey("accounts.Location", on_delete=models.CASCADE, related_name="+", db_index=False)
    category = models.CharField(max_length=30)
    severity = models.CharField(max_length=10)
    dimension = models.CharField(max_length=10)
    value = models.CharField(max_length=20)
    cases = models.PositiveIntegerField(default=0)
    closed = models.PositiveIntegerField(default=0)
    retained = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)
    answers = models.PositiveIntegerField(default=0)
    rating_sum = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            # The "What works" page: a scope's locations and days, as the dashboard reads its roll-ups.
            models.Index(fields=["location", "grain", "day"], name="outcomerollup_location"),
            # The evidence on a suggestion: one category and severity, the reader's locations, a year
            # of month rows, read from the index alone (at 100k cases: 0.4 ms for a location, where
            # the key's index took 20; the whole business 13 ms without the included columns).
            models.Index(
                fields=["category", "severity", "grain", "location", "day"],
                include=["dimension", "value", "retained", "lost"],
                name="outcomerollup_similar",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "day", "location", "category", "severity", "dimension", "value"],
                name="outcomerollup_key",
            )
        ]

    def __str__(self) -> str:
        key = f"{self.grain} {self.day} {self.location_id} {self.category} {self.severity}"
        return f"{key} {self.dimension}={self.value}"
