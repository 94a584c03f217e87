"""Forms validate and render; the services decide and write."""

import uuid
from datetime import timedelta
from decimal import Decimal
from typing import cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from accounts.roles import location_ids_of, locations_of, staff_at
from core import forms as core_forms
from core.forms import MAX_TEXT, local_datetime_input
from core.i18n import StrOrPromise
from customers.contact import PHONE_MAX_TYPED
from customers.forms import CustomerFieldsMixin
from customers.models import ContactChannel, Customer
from customers.services import CustomerDetails

from .models import LOST_CHOICES, OUTCOME_CHOICES, SEVERITY_CHOICES, Category, Channel
from .selectors import customers_visible_to
from .services import (
    AMOUNT_TOO_LARGE,
    FUTURE_INCIDENT,
    NEGATIVE_AMOUNT,
    NOTE_EMPTY,
    TIME_LOST_MAX_MINUTES,
    UNKNOWN_LOST,
    IncidentDetails,
)

NO_CUSTOMER = _("Find the customer above, or enter a new one.")
UNKNOWN_LOCATION = _("Choose one of your locations.")
NO_PRICE = _("Enter what they paid for it (0 if nothing).")
NO_OVERCHARGE = _("Enter how much we overcharged them.")
NO_COSTS_SAID = _("Say what the costs were, e.g. a tow truck.")
# Quick choices for the time it cost them, in minutes (the field also takes any number).
TIME_CHOICES = [
    (15, _("15 min")),
    (30, _("30 min")),
    (60, _("1 hour")),
    (120, _("2 hours")),
    (240, _("Half a day")),
    (480, _("A day")),
]


def money_field(label: StrOrPromise, **kwargs) -> core_forms.DecimalField:
    return core_forms.DecimalField(
        label=label,
        min_value=0,
        max_value=settings.AMENDS_MAX_AMOUNT,
        max_digits=12,
        decimal_places=2,
        initial=0,
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}),
        error_messages={
            "min_value": NEGATIVE_AMOUNT,
            "max_value": format_lazy(AMOUNT_TOO_LARGE, maximum=f"{settings.AMENDS_MAX_AMOUNT:,}"),
        },
        **kwargs,
    )


class CaseOpenForm(CustomerFieldsMixin, forms.Form):
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    # The customer: one chosen by type-ahead, or a new one typed in.
    customer = core_forms.ModelChoiceField(queryset=Customer.objects.none(), required=False, widget=forms.HiddenInput)
    new_name = core_forms.CharField(label=_("Name"), max_length=150, required=False)
    new_email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    new_phone = core_forms.CharField(label=_("Phone"), max_length=PHONE_MAX_TYPED, required=False)
    new_preferred_channel = forms.ChoiceField(
        label=_("Prefers"), choices=ContactChannel.choices, initial=ContactChannel.EMAIL
    )
    new_contact_consent = forms.BooleanField(label=_("Agrees to be contacted"), required=False)

    location = core_forms.ModelChoiceField(
        queryset=Location.objects.none(), empty_label=None, error_messages={"invalid_choice": UNKNOWN_LOCATION}
    )
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.IN_PERSON)
    category = forms.ChoiceField(choices=[("", _("Choose…")), *Category.choices])
    description = core_forms.CharField(
        label=_("What happened"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3})
    )
    occurred_at = core_forms.DateTimeField(label=_("When it happened"), widget=local_datetime_input())
    # Asked for every category but a billing error, where the overcharge is what matters.
    order_value = money_field(_("What they paid for it"), required=False)
    lost = forms.ChoiceField(
        label=_("How much of what they paid for did they lose?"),
        choices=LOST_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    hidden_costs = money_field(
        _("Customer's hidden costs"),
        required=False,
        help_text=_("What the mistake cost them beyond the price: a tow truck, a taxi, a missed meeting."),
    )
    hidden_costs_description = core_forms.CharField(label=_("What those costs were"), max_length=300, required=False)
    overcharge = money_field(
        _("Amount overcharged"),
        required=False,
        help_text=_("A billing error: what we took beyond what was owed. It is given back in full as a correction."),
    )
    time_lost_minutes = core_forms.IntegerField(
        label=_("Time it cost them"),
        required=False,
        min_value=0,
        max_value=TIME_LOST_MAX_MINUTES,
        help_text=_("In minutes: the wait, the trip back, the time on the phone."),
        widget=forms.NumberInput(attrs={"min": "0", "step": "5", "inputmode": "numeric"}),
        error_messages={
            "max_value": format_lazy(_("At most {maximum} minutes (a week)."), maximum=f"{TIME_LOST_MAX_MINUTES:,}")
        },
    )
    occasion_mattered = forms.BooleanField(
        label=_("It was for an occasion or a deadline"),
        required=False,
        help_text=_("A celebration, a flight, a meeting."),
    )
    treated_poorly = forms.BooleanField(
        label=_("The customer was treated poorly or personally offended"), required=False
    )
    fixed_on_spot = forms.BooleanField(
        label=_("We put it right there and then"),
        required=False,
        help_text=_("A small slip already fixed: an apology and the fix may be enough."),
    )
    promised_callback_at = core_forms.DateTimeField(
        label=_("Callback promised for"), required=False, widget=local_datetime_input()
    )
    assignee = core_forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, empty_label=_("Me"), label=_("Assign to")
    )
    severity = forms.ChoiceField(
        label=_("Severity"), required=False, choices=[("", _("As suggested")), *SEVERITY_CHOICES]
    )
    severity_override_reason = core_forms.CharField(label=_("Why a different severity"), max_length=300, required=False)

    def __init__(self, *args, user, customers, locations, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        cast(forms.ModelChoiceField, self.fields["customer"]).queryset = customers
        cast(forms.ModelChoiceField, self.fields["location"]).queryset = locations
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = staff
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_occurred_at(self):
        occurred_at = self.cleaned_data["occurred_at"]
        if occurred_at > timezone.now() + timedelta(minutes=5):
            raise forms.ValidationError(FUTURE_INCIDENT)
        return occurred_at

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("new_phone"):
            # Read in the region of the location the case is logged at (the customer's home).
            try:
                data["new_phone"] = self.clean_phone_value(data["new_phone"], data.get("location"))
            except forms.ValidationError as error:
                self.add_error("new_phone", error)
        no_customer = not data.get("customer") and not data.get("new_name", "").strip()
        if no_customer and not self.has_error("customer") and not self.has_error("new_name"):
            self.add_error("new_name", NO_CUSTOMER)
        if (data.get("hidden_costs") or 0) > 0 and not data.get("hidden_costs_description", "").strip():
            self.add_error("hidden_costs_description", NO_COSTS_SAID)
        self._clean_what_was_paid(data)
        return data

    def _clean_what_was_paid(self, data) -> None:
        """A billing error asks for the overcharge; every other category for the price and how much
        of it was lost. The fields a category does not use are hidden on the page (and shown, but
        not demanded, without JavaScript), so what they hold is not kept."""
        if data.get("category") == Category.BILLING_ERROR:
            for unused in ("order_value", "lost"):
                self.errors.pop(unused, None)
            data["order_value"], data["lost"] = 0, "none"
            if data.get("overcharge") is None and not self.has_error("overcharge"):
                self.add_error("overcharge", NO_OVERCHARGE)
            return
        self.errors.pop("overcharge", None)
        data["overcharge"] = 0
        if data.get("order_value") is None and not self.has_error("order_value"):
            self.add_error("order_value", NO_PRICE)
        if not data.get("lost") and not self.has_error("lost"):
            self.add_error("lost", UNKNOWN_LOST)

    def incident(self) -> IncidentDetails:
        data = self.cleaned_data
        return IncidentDetails(
            location_id=data["location"].pk,
            channel=data["channel"],
            category=data["category"],
            description=data["description"],
            occurred_at=data["occurred_at"],
            order_value=data["order_value"] or Decimal(0),
            hidden_costs=data["hidden_costs"] or Decimal(0),
            hidden_costs_description=data["hidden_costs_description"],
            overcharge=data["overcharge"] or Decimal(0),
            lost=data["lost"],
            time_lost_minutes=data["time_lost_minutes"] or 0,
            occasion_mattered=data["occasion_mattered"],
            treated_poorly=data["treated_poorly"],
            fixed_on_spot=data["fixed_on_spot"],
            promised_callback_at=data["promised_callback_at"],
            assignee_id=data["assignee"].pk if data["assignee"] else None,
            severity=data["severity"],
            severity_override_reason=data["severity_override_reason"],
        )

    def new_customer(self) -> CustomerDetails | None:
        if self.cleaned_data.get("customer"):
            return None
        return CustomerDetails.from_form(self.cleaned_data, prefix="new_")


def case_open_form(user: User, **kwargs) -> CaseOpenForm:
    """The new-case form for `user` (the page's and the API's): the customers, locations and staff
    they may choose from. `kwargs` are the form's own (data, initial…)."""
    return CaseOpenForm(
        user=user,
        customers=customers_visible_to(user),
        locations=locations_of(user, active_only=True),
        staff=staff_at(location_ids_of(user)),
        **kwargs,
    )


class CaseCreateQuery(forms.Form):
    """What the new-case page takes from its address: the customer chosen on their page."""

    customer = core_forms.IdField(required=False)


class SeverityPreviewQuery(forms.Form):
    """The facts typed so far, for the suggested severity. Half-typed amounts are read leniently by the view."""

    customer = core_forms.IdField(required=False)
    category = forms.ChoiceField(required=False, choices=Category.choices)
    order_value = core_forms.CharField(required=False, max_length=40)
    overcharge = core_forms.CharField(required=False, max_length=40)
    hidden_costs = core_forms.CharField(required=False, max_length=40)
    lost = forms.ChoiceField(required=False, choices=LOST_CHOICES)
    time_lost_minutes = core_forms.IntegerField(required=False, min_value=0, max_value=TIME_LOST_MAX_MINUTES)
    occasion_mattered = forms.BooleanField(required=False)
    treated_poorly = forms.BooleanField(required=False)


class TransitionForm(forms.Form):
    to_state = core_forms.CharField(widget=forms.HiddenInput)
    expected_state = core_forms.CharField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(required=False, choices=[("", "—"), *OUTCOME_CHOICES])
    note = core_forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = core_forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": NOTE_EMPTY},
    )


class ContactForm(forms.Form):
    note = core_forms.CharField(required=False, max_length=MAX_TEXT, label=_("How you reached them"))


class AssignForm(forms.Form):
    assignee = core_forms.ModelChoiceField(queryset=User.objects.none(), required=False, empty_label=_("Nobody"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["assignee"]).queryset = staff


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(choices=SEVERITY_CHOICES)
    reason = core_forms.CharField(required=False, max_length=300)
