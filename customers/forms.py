from django import forms

from .contact import normalise_phone
from .models import ContactChannel, Customer
from .services import CustomerDetails


class CustomerFieldsMixin:
    """Validation shared by the inline customer on a case and the customer page."""

    def clean_phone_value(self, value: str) -> str:
        if not value:
            return ""
        try:
            return normalise_phone(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class CustomerForm(CustomerFieldsMixin, forms.ModelForm):
    class Meta:
        model = Customer
        fields = [
            "name",
            "email",
            "phone",
            "preferred_channel",
            "contact_consent",
            "yearly_value",
            "customer_since",
            "notes",
        ]
        widgets = {
            "customer_since": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_phone(self):
        return self.clean_phone_value(self.cleaned_data["phone"])

    def details(self) -> CustomerDetails:
        data = self.cleaned_data
        return CustomerDetails(
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            preferred_channel=data["preferred_channel"],
            contact_consent=data["contact_consent"],
            yearly_value=data["yearly_value"],
            customer_since=data["customer_since"],
            notes=data["notes"],
        )


__all__ = ["ContactChannel", "CustomerFieldsMixin", "CustomerForm"]
