from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.locations import phone_region_of
from core.forms import CharField, DecimalField, PastDateField
from core.translatable import translate_filled

from .contact import PHONE_MAX_TYPED, PHONE_MESSAGES, normalise_phone
from .models import Customer
from .services import CustomerDetails


class CustomerSearchQuery(forms.Form):
    """The type-ahead's text (a NUL byte would reach PostgreSQL and fail there)."""

    q = CharField(required=False, max_length=100)


class CustomerFieldsMixin:
    """Validation shared by the inline customer on a case and the customer page."""

    def clean_phone_value(self, value: str, location) -> str:
        """The number in E.164, read in the region of `location` (the customer's, or where the
        case is logged); a number that cannot be one is refused, with the text kept as typed."""
        if not value:
            return ""
        try:
            return normalise_phone(value, phone_region_of(location))
        except ValueError as error:
            raise forms.ValidationError(translate_filled(str(error), PHONE_MESSAGES, gettext)) from error


class CustomerForm(CustomerFieldsMixin, forms.Form):
    """The customer's details, with the model's labels and limits.

    A plain form, not a ModelForm: the service writes the customer, and checks
    duplicates on the normalised email and phone with a message that names the
    customer already on file.
    """

    FIELDS = [
        "name",
        "email",
        "phone",
        "preferred_channel",
        "contact_consent",
        "language",
        "yearly_value",
        "customer_since",
        "notes",
    ]

    def __init__(self, *args, instance: Customer | None = None, **kwargs):
        self.location = instance.home_location if instance is not None else None
        if instance is not None:
            kwargs.setdefault("initial", model_to_dict(instance, fields=self.FIELDS))
        super().__init__(*args, **kwargs)
        self.fields.update(
            fields_for_model(
                Customer,
                fields=self.FIELDS,
                widgets={
                    "customer_since": forms.DateInput(attrs={"type": "date"}),
                    "notes": forms.Textarea(attrs={"rows": 3}),
                },
                field_classes={
                    "name": CharField,
                    "notes": CharField,
                    "customer_since": PastDateField,
                    "yearly_value": DecimalField,
                },
            )
        )
        self.fields["yearly_value"].validators += [
            MinValueValidator(0, _("An amount cannot be negative.")),
            MaxValueValidator(
                settings.AMENDS_MAX_AMOUNT, _("That is more than we expect a customer to spend: check it.")
            ),
        ]
        self.fields["yearly_value"].widget.attrs["min"] = "0"
        # Not sent (an older page, an API-like post): the customer keeps theirs.
        self.fields["language"].required = False
        # As typed, with spaces and brackets ("+44 (0)20 7946 0958"); stored shorter, in E.164.
        self.fields["phone"] = CharField(label=self.fields["phone"].label, max_length=PHONE_MAX_TYPED, required=False)

    def clean_phone(self):
        return self.clean_phone_value(self.cleaned_data["phone"], self.location)

    def details(self) -> CustomerDetails:
        return CustomerDetails.from_form(self.cleaned_data)
