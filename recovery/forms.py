from django import forms


class TakeSuggestionForm(forms.Form):
    rank = forms.IntegerField(min_value=1, max_value=3)
    submission_token = forms.UUIDField()


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "Approve"), ("reject", "Reject")])
    reason = forms.CharField(required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(widget=forms.HiddenInput)


class DeliveryForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    reference = forms.CharField(
        required=False, max_length=200, help_text="Refund reference, gift card code, who called and when…"
    )
