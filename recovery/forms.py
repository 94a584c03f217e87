from decimal import Decimal

from django import forms

from .policy import RemedyKind


class TakeSuggestionForm(forms.Form):
    rank = forms.IntegerField(min_value=1, max_value=3)
    submission_token = forms.UUIDField()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject"), ("amend", "Amend")])
    reason = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput)


class DeliveryForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    reference = forms.CharField(
        required=False, max_length=200, help_text="Refund reference, gift card code, who called and when…"
    )


EDITABLE_KINDS = [(kind.value, kind.label) for kind in RemedyKind if kind is not RemedyKind.APOLOGY]


class LineForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), *EDITABLE_KINDS], label="Remedy", required=False)
    face_value = forms.DecimalField(
        label="Value",
        min_value=0,
        max_digits=12,
        decimal_places=2,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        error_messages={"min_value": "An amount cannot be negative."},
    )
    reason = forms.CharField(required=False, max_length=500, label="Why, in plain words")

    def line_input(self):
        from .services import LineInput

        data = self.cleaned_data
        return LineInput(RemedyKind(data["kind"]), data.get("face_value") or Decimal(0), data.get("reason", ""))


LineFormSet = forms.formset_factory(LineForm, extra=1, max_num=8, validate_max=True)


class ProposalForm(forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=120, initial="Edited remedy")
    below_floor_reason = forms.CharField(
        required=False,
        max_length=500,
        label="Why less than the suggestion (if it is)",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
