"""The token pages' forms: they validate; api.services makes and revokes."""

from datetime import datetime, time, timedelta
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from accounts.roles import ROLE_LABELS, Role
from core import forms as core_forms


class TokenForm(forms.Form):
    name = core_forms.CharField(
        label=_("What it is for"), max_length=100, help_text=_("So that you know it again, e.g. “Till at Soho”.")
    )
    expires_on = core_forms.DateField(
        label=_("Stops working after"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: until it is revoked."),
    )

    def expires_at(self) -> datetime | None:
        """The end of the chosen day, local time."""
        day = self.cleaned_data.get("expires_on")
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min)) if day else None


class IntegrationTokenForm(TokenForm):
    location = core_forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none(), empty_label=None)
    role = forms.ChoiceField(
        label=_("Acts as"),
        choices=[(role.value, label) for role, label in ROLE_LABELS.items()],
        initial=Role.FRONTLINE.value,
        help_text=_(
            "The role whose rights it has, as a person of that role at the location would; at that "
            "location only, even as an owner."
        ),
    )

    def __init__(self, *args, locations, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["location"]).queryset = locations
