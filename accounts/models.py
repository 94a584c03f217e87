import phonenumbers
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

UNKNOWN_REGION = "Enter a two-letter region code such as GB, IE or US."


def validate_phone_region(value: str) -> None:
    if value and value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(UNKNOWN_REGION)


class Location(models.Model):
    """A branch of the business: where incidents happen and staff work."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=20, unique=True, help_text="Short code, e.g. LDN-SOHO.")
    is_active = models.BooleanField(default=True)
    monthly_budget = models.DecimalField(
        "monthly compensation budget",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty to use the recovery policy's budget per location.",
    )
    typical_yearly_value = models.DecimalField(
        "a typical customer spends a year",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "At least 0."), MaxValueValidator(10_000_000, "At most 10,000,000.")],
        help_text="What a customer of this location spends in a year when theirs is not recorded. "
        "Leave empty to use the recovery policy's.",
    )
    # How this location reads phone numbers and signs what it sends customers; each empty
    # field falls back to a setting (accounts.locations says which).
    phone_region = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_phone_region],
        help_text="Region a phone number typed without +country code is read in (GB, IE, US…). "
        "Empty: AMENDS_PHONE_REGION.",
    )
    sender_name = models.CharField(
        "messages come from (name)", max_length=120, blank=True, help_text="Empty: the location's name."
    )
    sender_email = models.EmailField(
        "messages come from (address)",
        blank=True,
        help_text="The address customers' email comes from and their replies go to. Empty: DEFAULT_FROM_EMAIL.",
    )
    inbound_email = models.EmailField(
        "customers write to",
        blank=True,
        help_text="An address whose mail Amends reads (inbox): mail to it from someone with no case open "
        "opens one here. Empty: none.",
    )
    contact_line = models.CharField(
        "how customers reach us",
        max_length=200,
        blank=True,
        help_text="Signs every message to customers and shows on their page, "
        "e.g. “Call 020 7946 0958 or write to soho@example.com”. Empty: AMENDS_CONTACT_LINE.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # One location per inbound address, compared in lower case; many may have none.
            models.UniqueConstraint(
                Lower("inbound_email"),
                condition=~models.Q(inbound_email=""),
                name="location_inbound_email_unique",
                violation_error_message="Another location already reads mail sent to this address.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Their role is their group (Frontline, Manager, Owner)."""

    locations = models.ManyToManyField(Location, related_name="staff", blank=True)
    authority_limit = models.DecimalField(
        "own authority limit",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What this person may grant without approval; empty means their role's limit.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
