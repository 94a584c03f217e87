"""Corrective action forms: they validate and render; the services decide and write."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from cases.models import parse_reference
from core import forms as core_forms
from core.forms import MAX_TEXT

from .models import CorrectiveAction
from .services import ActionDetails
from .states import ActionState

BUSINESS_WIDE = _("Business-wide")
NOT_A_REFERENCE = _("That is not a case reference: it looks like SR-000123.")


class ActionForm(forms.Form):
    """Create or edit an action. Location is chosen only when creating."""

    title = core_forms.CharField(max_length=200, error_messages={"required": _("Give the action a short title.")})
    kind = forms.ChoiceField(
        label=_("What kind of change"),
        choices=[("", _("Choose…")), *CorrectiveAction.Kind.choices],
        error_messages={"required": _("Choose what kind of change it is.")},
    )
    description = core_forms.CharField(
        label=_("What changes (internal)"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what changes.")},
        help_text=_("For staff: what will be different, and how you will know it worked."),
    )
    location = core_forms.ModelChoiceField(
        queryset=Location.objects.none(),
        required=False,
        empty_label=BUSINESS_WIDE,
        help_text=_("Where the change applies; business-wide actions can take cases from every location."),
        error_messages={"invalid_choice": _("Choose one of your locations.")},
    )
    owner = core_forms.ModelChoiceField(
        label=_("Responsible"),
        queryset=User.objects.none(),
        empty_label=_("Choose…"),
        error_messages={
            "required": _("Choose who is responsible."),
            "invalid_choice": _("Choose a manager from the list."),
        },
    )
    due_date = core_forms.DateField(
        label=_("Due by"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Choose a due date."), "invalid": _("Enter a date, e.g. 2026-11-24.")},
    )
    customer_message = core_forms.CharField(
        label=_("What we tell the customers (optional for now)"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain words, no jargon. You can change it until you mark the action done."),
    )
    case_reference = core_forms.CharField(
        label=_("From case"),
        required=False,
        max_length=20,
        help_text=_("The case this action starts from, e.g. SR-000123 (more can be linked later)."),
    )

    def __init__(self, *args, locations=None, owners=None, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["location"]
            del self.fields["case_reference"]
        else:
            location = cast(forms.ModelChoiceField, self.fields["location"])
            location.queryset = locations if locations is not None else Location.objects.none()
        owner = cast(forms.ModelChoiceField, self.fields["owner"])
        owner.queryset = owners if owners is not None else User.objects.none()

    def clean_case_reference(self):
        text = self.cleaned_data["case_reference"].strip()
        if text and parse_reference(text) is None:
            raise forms.ValidationError(NOT_A_REFERENCE)
        return text

    def details(self) -> ActionDetails:
        data = self.cleaned_data
        return ActionDetails(
            title=data["title"],
            description=data["description"],
            kind=data["kind"],
            owner_id=data["owner"].pk,
            due_date=data["due_date"],
            customer_message=data["customer_message"],
        )


class LinkCaseForm(forms.Form):
    """Link a case to the action by its reference."""

    reference = core_forms.CharField(
        label=_("Case reference"),
        max_length=20,
        error_messages={"required": _("Type the case's reference, e.g. SR-000123.")},
    )

    def clean_reference(self):
        text = self.cleaned_data["reference"].strip()
        if parse_reference(text) is None:
            raise forms.ValidationError(NOT_A_REFERENCE)
        return text


class UnlinkCaseForm(forms.Form):
    case = core_forms.IdField(widget=forms.HiddenInput)


class ConfirmForm(forms.Form):
    """Start or cancel: nothing to type."""


class CompleteForm(forms.Form):
    message = core_forms.CharField(
        label=_("What we tell the customers"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write what the customers will be told before marking the action done.")},
        help_text=_("Plain words: what went wrong, what is different now. It goes into the message below."),
    )
    # Set by the confirmation, which says who will be told and who will not; `expected` is who
    # it named, so a case linked since is confirmed again rather than told unseen.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)
    expected = forms.CharField(required=False, max_length=MAX_TEXT, widget=forms.HiddenInput)


class LinkToActionForm(forms.Form):
    """On the case page: link this case to one of the open actions."""

    corrective_action = core_forms.IdField(
        label=_("Corrective action"),
        error_messages={"required": _("Choose an action."), "invalid": _("Choose an action.")},
    )


STATE_FILTERS = [
    ("active", _("Open or in progress")),
    *[(state.value, _(state.label)) for state in ActionState],
    ("", _("All")),
]


class ActionCreateQuery(forms.Form):
    """What the new-action page takes from its address: the case it starts from."""

    case = core_forms.IdField(required=False)


class ActionFilterForm(forms.Form):
    state = forms.ChoiceField(choices=STATE_FILTERS, required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
