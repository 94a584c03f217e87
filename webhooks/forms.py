"""The endpoint's form and the delivery log's filter: they validate, the services decide."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from cases.models import Event
from core import forms as core_forms

from .models import Delivery
from .services import ALL_KINDS

KIND_CHOICES = [(ALL_KINDS, _("All events, and kinds added later")), *Event.Kind.choices]


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        validators=[core_forms.refuse_control_characters],
        help_text=_("Where the events are sent, as a POST with a JSON body: https://…"),
    )
    description = core_forms.CharField(label=_("What it is for"), max_length=100, required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Events"),
        choices=KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose the events to send, or all of them.")},
    )
    locations = forms.ModelMultipleChoiceField(
        label=_("Locations"),
        queryset=Location.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every location's events, and those of no location (users, the policy)."),
    )
    is_active = forms.BooleanField(label=_("Active: send events to it"), required=False, initial=True)
    submission_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_token", uuid.uuid4())
        self.initial.setdefault("kinds", [ALL_KINDS])


class DeliveryFilterForm(forms.Form):
    """The delivery log's query string: which state to show."""

    state = forms.ChoiceField(choices=[("", _("Any")), *Delivery.State.choices], required=False)


class ReplayForm(forms.Form):
    """Which delivery to send again (none: every failed one)."""

    delivery = core_forms.IdField(required=False, widget=forms.HiddenInput)
