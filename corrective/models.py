from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .states import ActionState, is_overdue

if TYPE_CHECKING:
    from cases.models import Case

# The labels are marked in corrective/states.py (no Django there); translated here when shown.
STATE_CHOICES = [(state.value, _(state.label)) for state in ActionState]


class CorrectiveAction(models.Model):
    """A fix of the cause behind one or more cases: what the business changes so it
    does not happen again, who owns the change, and by when.

    `description` is internal; `customer_message` is what the linked customers are
    told, in plain words, when the action is done.
    """

    class Kind(models.TextChoices):
        PROCESS = "process", _("Process")
        POLICY = "policy", _("Policy")
        TRAINING = "training", _("Training")
        PRODUCT = "product", _("Product")
        SUPPLIER = "supplier", _("Supplier")

    title = models.CharField(max_length=200)
    description = models.TextField(_("what changes (internal)"), max_length=4000)
    kind = models.CharField(_("what kind of change"), max_length=10, choices=Kind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="corrective_actions",
        help_text=_("The manager responsible for getting it done."),
    )
    location = models.ForeignKey(
        "accounts.Location",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrective_actions",
        help_text=_("Empty: the change is business-wide."),
    )
    due_date = models.DateField(_("due by"))
    state = models.CharField(max_length=12, choices=STATE_CHOICES, default=ActionState.OPEN.value)
    customer_message = models.TextField(
        _("what we tell the customers"),
        max_length=4000,
        blank=True,
        help_text=_("Plain words for the customers of the linked cases; editable until the action is done."),
    )
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    cases: "models.ManyToManyField[Case, CorrectiveActionCase]" = models.ManyToManyField(
        "cases.Case", through="CorrectiveActionCase", related_name="corrective_actions", blank=True
    )

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            # The list: by state, soonest due first, overdue ones by due date.
            models.Index(fields=["state", "due_date"], name="corrective_state_due"),
            models.Index(fields=["location", "state", "due_date"], name="corrective_loc_state_due"),
            models.Index(fields=["due_date", "id"], name="corrective_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ActionState.DONE.value, done_at__isnull=False)
                | ~Q(state=ActionState.DONE.value) & Q(done_at__isnull=True),
                name="corrective_done_at_only_when_done",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("corrective:detail", kwargs={"pk": self.pk})

    @property
    def state_enum(self) -> ActionState:
        return ActionState(self.state)

    @property
    def is_active(self) -> bool:
        return self.state in (ActionState.OPEN.value, ActionState.IN_PROGRESS.value)

    @property
    def is_overdue(self) -> bool:
        return is_overdue(state=self.state_enum, due_date=self.due_date, today=timezone.localdate())


class CorrectiveActionCase(models.Model):
    """A case whose cause the action fixes, and how its customer heard of the fix:
    `followup` is the message to them, or `not_told_reason` says why there is none."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="links")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="corrective_links")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    linked_at = models.DateTimeField(default=timezone.now)
    followup = models.ForeignKey(
        "followups.FollowUp", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    not_told_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["linked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["action", "case"], name="corrective_case_once")]
        indexes = [models.Index(fields=["case", "linked_at"], name="corrective_link_case")]

    def __str__(self) -> str:
        return f"{self.action_id} ↔ {self.case_id}"
