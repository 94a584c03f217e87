import hashlib
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.forms import money_field
from cases.models import SEVERITY_CHOICES
from core import forms as core_forms
from core.money import format_money

from .models import AT_LEAST, AT_MOST, PolicyVersion
from .policy import BOUNDS, RemedyKind, Role
from .services import LineInput


class TakeSuggestionForm(forms.Form):
    rank = core_forms.IntegerField(min_value=1, max_value=3)
    submission_token = forms.UUIDField()


class ProposalEditQuery(forms.Form):
    """Which suggestion the editor starts from (`?from=2`); anything else starts from the first."""

    def rank(self) -> int:
        return (self.cleaned_data.get("from") if self.is_valid() else None) or 1


# `from` is a Python keyword, so the field cannot be declared in the class body.
ProposalEditQuery.base_fields["from"] = core_forms.IntegerField(min_value=1, max_value=3, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject")), ("amend", _("Amend"))])
    reason = core_forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    revision = core_forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class DeliveryForm(forms.Form):
    line = core_forms.IdField(widget=forms.HiddenInput)
    reference = core_forms.CharField(
        required=False, max_length=200, help_text=_("Refund reference, gift card code, who called and when…")
    )


class OverchargeForm(forms.Form):
    overcharge = money_field(_("Amount overcharged"))


EDITABLE_KINDS = [(kind.value, _(kind.label)) for kind in RemedyKind if kind is not RemedyKind.APOLOGY]


class LineForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), *EDITABLE_KINDS], label=_("Remedy"), required=False)
    face_value = core_forms.DecimalField(
        label=_("Value"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        error_messages={"min_value": _("An amount cannot be negative.")},
    )
    percent = core_forms.DecimalField(
        label=_("or %"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        required=False,
        help_text=_("A discount can be a percentage of the next purchase instead of an amount."),
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "100", "inputmode": "decimal"}),
        error_messages={"min_value": _("A percentage cannot be negative."), "max_value": _("At most 100%%.")},
    )
    reason = core_forms.CharField(required=False, max_length=500, label=_("Why, in plain words"))
    # What the explanation was first written for (see `written_for`): an explanation kept as it
    # was on a line whose remedy or amount changed would describe the old line.
    written_for = forms.CharField(required=False, max_length=200, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        initial = self.initial
        if initial.get("reason") and not initial.get("written_for"):
            initial["written_for"] = written_for(
                initial.get("kind"), initial.get("face_value"), initial.get("percent"), initial["reason"]
            )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        reason, was = data.get("reason", "").strip(), _written_for_parsed(data.get("written_for", ""))
        if reason and data.get("kind") and was is not None and was[3] == _digest(reason):
            now = (data["kind"], data.get("face_value") or Decimal(0), data.get("percent"))
            if now != was[:3]:
                self.add_error("reason", STALE_REASON.format(was=_line_words(*was[:3]), now=_line_words(*now)))
        return data

    def line_input(self):
        data = self.cleaned_data
        return LineInput(
            RemedyKind(data["kind"]), data.get("face_value") or Decimal(0), data.get("reason", ""), data.get("percent")
        )


STALE_REASON = _("This explanation was written for {was}: write one for {now}, or leave it empty.")


def _digest(reason: str) -> str:
    return hashlib.sha256(reason.strip().encode()).hexdigest()[:16]


def written_for(kind, face_value, percent, reason: str) -> str:
    """A line's remedy, amount and percentage with a digest of its explanation, kept beside it in
    the form: "full_refund|198.00||3f2a…"."""
    kind = getattr(kind, "value", kind) or ""
    face = Decimal(face_value or 0).quantize(Decimal("0.01"))
    share = "" if percent is None else format(Decimal(percent).normalize(), "f")
    return f"{kind}|{face}|{share}|{_digest(reason)}"


def _written_for_parsed(text: str) -> tuple | None:
    """(kind, face value, percent, digest), or None for anything else (it comes from the page)."""
    parts = text.split("|")
    if len(parts) != 4 or parts[0] not in dict(EDITABLE_KINDS):
        return None
    try:
        face = Decimal(parts[1]).quantize(Decimal("0.01"))
        percent = Decimal(parts[2]) if parts[2] else None
    except InvalidOperation:
        return None
    if not face.is_finite() or (percent is not None and not percent.is_finite()):
        return None
    return parts[0], face, percent, parts[3]


def _line_words(kind: str, face_value: Decimal, percent: Decimal | None) -> str:
    """The line in words: "Full refund £198.00", "Discount on a future purchase 10%"."""
    label = gettext(RemedyKind(kind).label)
    if percent is not None:
        return f"{label} {percent.normalize():f}%"
    return f"{label} {format_money(face_value)}" if face_value else label


LineFormSet = forms.formset_factory(LineForm, extra=1, max_num=8, validate_max=True)


class ProposalForm(forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    title = core_forms.CharField(max_length=120, initial=_("Edited remedy"))
    below_floor_reason = core_forms.CharField(
        required=False,
        max_length=500,
        label=_("Why less than the suggestion (if it is)"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


POLICY_FIELDS = [
    "generosity",
    "gesture_minor",
    "gesture_moderate",
    "gesture_major",
    "gesture_critical",
    "billing_gesture",
    "max_multiple_of_base",
    "max_share_of_yearly_value",
    "frontline_limit",
    "manager_limit",
    "owner_limit",
    "monthly_budget_per_location",
    "personal_call_within_hours",
    "credit_multiple",
    "part_share",
    "used_share",
    "used_knee",
    "time_value_per_hour",
    "occasion_extra",
    "typical_yearly_value",
    "high_value_from",
    "callback_reminder_minutes",
    "callback_escalation_minutes",
    "remedy_delivery_hours",
    "satisfaction_check_days",
    "deadlines_in_working_time",
    "note",
]
CATALOGUE_KINDS = [kind for kind in RemedyKind if kind not in (RemedyKind.CORRECTION, RemedyKind.REIMBURSEMENT)]
ROLE_CHOICES = [(role.value, role.value) for role in Role]


MANAGER_BELOW_FRONTLINE = _("A manager's limit cannot be below frontline's.")


class PolicyForm(forms.ModelForm):
    """A new version of the policy: starts from the one in force; saving never edits it.

    Labels, help and limits come from the model (recovery/models.py, recovery/policy.py BOUNDS).
    """

    class Meta:
        model = PolicyVersion
        fields = POLICY_FIELDS
        field_classes = {
            name: core_forms.IntegerField if name.endswith(("_minutes", "_hours", "_days")) else core_forms.DecimalField
            for name in BOUNDS
        } | {"note": core_forms.CharField}

    # Values set by severity show as a group: a heading and its help once, the severity as each label.
    GROUPS = {"gesture": _("Least gesture, by severity")}
    SEVERITIES = ("minor", "moderate", "major", "critical")
    SEVERITY_LABELS = dict(SEVERITY_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = True
        self.groups = []
        for prefix, heading in self.GROUPS.items():
            names = [f"{prefix}_{severity}" for severity in self.SEVERITIES]
            group_help = self.fields[names[0]].help_text
            for name, severity in zip(names, self.SEVERITIES, strict=True):
                self.fields[name].label, self.fields[name].help_text = self.SEVERITY_LABELS[severity], ""
            self.groups.append({"heading": heading, "help": group_help, "fields": [self[name] for name in names]})
        for name, (low, high) in BOUNDS.items():
            field = self.fields[name]
            field.widget.attrs.update(min=str(low), max=str(high))
            # The model checks the limits too, but only once the whole form is clean: say it at once.
            field.validators += [
                MinValueValidator(low, AT_LEAST.format(low=low)),
                MaxValueValidator(high, AT_MOST.format(high=f"{high:,}")),
            ]

    def clean(self):
        super().clean()
        data = self.cleaned_data
        frontline, manager = data.get("frontline_limit"), data.get("manager_limit")
        if frontline is not None and manager is not None and manager < frontline:
            self.add_error("manager_limit", MANAGER_BELOW_FRONTLINE)
        return data


class PolicyQuery(forms.Form):
    """The policy page's `?draft=ID`: start from a previewed draft rather than the policy in force."""

    draft = core_forms.IdField(required=False)


class ReplayScopeForm(forms.Form):
    """Which location's figures a replay's page shows (`?location=3`); anything else shows all."""

    location = core_forms.IdField(required=False)


UNKNOWN_REMEDY = _("That remedy is not in the catalogue; reload the page and try again.")
REMEDY_TWICE = _("Each remedy can be set once; reload the page and try again.")


class RemedyTypeForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(kind.value, _(kind.label)) for kind in CATALOGUE_KINDS],
        widget=forms.HiddenInput,
        error_messages={"required": UNKNOWN_REMEDY, "invalid_choice": UNKNOWN_REMEDY},
    )
    enabled = forms.BooleanField(required=False)
    cost_ratio = core_forms.DecimalField(
        min_value=0, max_value=2, max_digits=4, decimal_places=2, error_messages={"min_value": _("Cannot be negative.")}
    )
    granted_by = forms.ChoiceField(choices=ROLE_CHOICES)


class BaseCatalogueFormSet(forms.BaseFormSet):
    def clean(self):
        super().clean()
        kinds = [form.cleaned_data.get("kind") for form in self.forms if form.is_valid()]
        if len(kinds) != len(set(kinds)):
            raise forms.ValidationError(REMEDY_TWICE)


CatalogueFormSet = forms.formset_factory(
    RemedyTypeForm, formset=BaseCatalogueFormSet, extra=0, max_num=len(CATALOGUE_KINDS), validate_max=True
)
