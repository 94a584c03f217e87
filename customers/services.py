"""Writing customers: one function per action, each in one transaction."""

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.locations import phone_region_of
from accounts.models import Location, User
from core.exceptions import ApplicationError
from core.languages import default_language

from .contact import normalise_email, normalise_phone
from .models import Customer

DUPLICATE_EMAIL = _("A customer with this email is already on file: {name}. Choose them instead.")
DUPLICATE_PHONE = _("A customer with this phone number is already on file: {name}. Choose them instead.")
NO_CONTACT = gettext_noop("Give an email or a phone number, so we can get back to the customer.")


@dataclass(frozen=True)
class CustomerDetails:
    name: str
    email: str = ""
    phone: str = ""
    preferred_channel: str = "email"
    contact_consent: bool = False
    yearly_value: Decimal | None = None
    customer_since: date | None = None
    notes: str = ""
    language: str = ""  # "" keeps theirs; a new customer then gets their location's

    @classmethod
    def from_form(cls, data: dict, *, prefix: str = "") -> "CustomerDetails":
        """From a form's cleaned data; `prefix` for forms that name the fields new_name, new_email..."""
        return cls(**{f.name: data[prefix + f.name] for f in fields(cls) if prefix + f.name in data})


def find_duplicate(
    *, email: str, phone: str, region: str, exclude_pk: int | None = None
) -> tuple[Customer, str] | None:
    """The customer already on file with this email or phone, and the field that matched.
    Both compare normalised: the phone in E.164, read in `region` if typed without its
    country code, so "07700 900123" finds the customer stored as +447700900123."""
    for field_name, value in (
        ("email", normalise_email(email) if email else ""),
        ("phone", _phone(phone, region)),
    ):
        if not value:
            continue
        existing = Customer.objects.filter(**{field_name: value}).exclude(pk=exclude_pk).first()  # type: ignore[misc]  # pk=None excludes nothing
        if existing is not None:
            return existing, field_name
    return None


def _phone(raw: str, region: str) -> str:
    """The number in E.164, or a refusal next to the phone field."""
    if not raw:
        return ""
    try:
        return normalise_phone(raw, region)
    except ValueError as error:
        raise ApplicationError(str(error), field="phone") from error


def _raise_duplicate(existing: Customer, field_name: str) -> None:
    message = DUPLICATE_EMAIL if field_name == "email" else DUPLICATE_PHONE
    raise ApplicationError(message.format(name=existing.name), field=field_name, extra={"duplicate": existing})


def _check_details(details: CustomerDetails, *, region: str, exclude_pk: int | None = None) -> None:
    if not details.email and not details.phone:
        raise ApplicationError(NO_CONTACT, field="email")
    duplicate = find_duplicate(email=details.email, phone=details.phone, region=region, exclude_pk=exclude_pk)
    if duplicate:
        _raise_duplicate(*duplicate)


def _apply(customer: Customer, details: CustomerDetails, *, region: str) -> None:
    customer.name = details.name.strip()
    customer.email = normalise_email(details.email)
    customer.phone = _phone(details.phone, region)
    customer.preferred_channel = details.preferred_channel
    customer.contact_consent = details.contact_consent
    customer.yearly_value = details.yearly_value
    customer.customer_since = details.customer_since
    customer.notes = details.notes
    if details.language:
        customer.language = details.language
    customer.full_clean()


def _language_of(location: Location | None) -> str:
    """A new customer's language unless they chose one: their location's."""
    return location.language if location is not None else default_language()


@transaction.atomic
def customer_create(*, details: CustomerDetails, home_location_id: int, actor: User) -> Customer:
    """Record a new customer. Refuses a second customer with the same email or phone
    (the phone read in the home location's region)."""
    location = Location.objects.filter(pk=home_location_id).first()
    region = phone_region_of(location)
    _check_details(details, region=region)
    customer = Customer(home_location_id=home_location_id, created_by=actor, language=_language_of(location))
    _apply(customer, details, region=region)
    try:
        # A savepoint: a concurrent insert of the same email loses cleanly.
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        _check_details(details, region=region)
        raise
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, details: CustomerDetails) -> Customer:
    """Correct a customer's details, keeping email and phone unique."""
    region = phone_region_of(customer.home_location)
    _check_details(details, region=region, exclude_pk=customer.pk)
    _apply(customer, details, region=region)
    customer.save()
    return customer


@transaction.atomic
def customer_for_report(*, details: CustomerDetails, home_location_id: int) -> tuple[Customer, bool]:
    """The customer behind a report they made themselves (no one of staff present): the one on
    file with this email or phone, else a new one at this location. Returns (customer, created).

    A customer found is left as they are: what someone types on a public page does not change
    the details or the consent staff recorded (they see the report and the contact it gave).
    """
    location = Location.objects.filter(pk=home_location_id).first()
    region = phone_region_of(location)
    if not details.email and not details.phone:
        raise ApplicationError(NO_CONTACT, field="email")
    found = find_duplicate(email=details.email, phone=details.phone, region=region)
    if found is not None:
        return found[0], False
    customer = Customer(home_location_id=home_location_id, created_by=None, language=_language_of(location))
    _apply(customer, details, region=region)
    try:
        with transaction.atomic():
            customer.save()
    except IntegrityError:
        # The same person reporting twice at once: the other request made them.
        found = find_duplicate(email=details.email, phone=details.phone, region=region)
        if found is None:
            raise
        return found[0], False
    return customer, True
