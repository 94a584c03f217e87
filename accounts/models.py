import datetime
import secrets
from zoneinfo import available_timezones

import holidays
import phonenumbers
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.languages import default_language

from .working_time import MINUTES_A_DAY

UNKNOWN_REGION = _("Enter a two-letter region code such as GB, IE or US.")
UNKNOWN_TIME_ZONE = _("Enter a time zone such as Europe/London, Europe/Dublin or America/New_York.")
UNKNOWN_COUNTRY = _("Enter a two-letter country code whose public holidays are known, such as GB, IE or FR.")
UNKNOWN_SUBDIVISION = _("{country} has no part {subdivision}: choose one of {known}, or leave it empty.")
SUBDIVISION_WITHOUT_COUNTRY = _("Choose the country first: the part of it comes second.")
CLOSES_BEFORE_OPENS = _(
    "Closing time must be after opening time (00:00 closes at midnight). "
    "For hours past midnight, add the next day's hours as another row starting at 00:00."
)


def new_report_token() -> str:
    """A location's report token: 32 characters of a URL-safe alphabet, 192 random bits, so its
    report page is reached by the link or QR code it was given and by no guess."""
    return secrets.token_urlsafe(24)


def validate_phone_region(value: str) -> None:
    if value and value not in phonenumbers.SUPPORTED_REGIONS:
        raise ValidationError(UNKNOWN_REGION)


def validate_time_zone(value: str) -> None:
    if value and value not in available_timezones():
        raise ValidationError(UNKNOWN_TIME_ZONE)


def validate_holiday_country(value: str) -> None:
    if value and value not in holidays.list_supported_countries():
        raise ValidationError(UNKNOWN_COUNTRY)


class Location(models.Model):
    """A branch of the business: where incidents happen and staff work."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=20, unique=True, help_text=_("Short code, e.g. LDN-SOHO."))
    is_active = models.BooleanField(default=True)
    monthly_budget = models.DecimalField(
        _("monthly compensation budget"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty to use the recovery policy's budget per location."),
    )
    typical_yearly_value = models.DecimalField(
        _("a typical customer spends a year"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, _("At least 0.")), MaxValueValidator(10_000_000, _("At most 10,000,000."))],
        help_text=_(
            "What a customer of this location spends in a year when theirs is not recorded. "
            "Leave empty to use the recovery policy's."
        ),
    )
    # How this location reads phone numbers and signs what it sends customers; each empty
    # field falls back to a setting (accounts.locations says which).
    phone_region = models.CharField(
        max_length=2,
        blank=True,
        validators=[validate_phone_region],
        help_text=_(
            "Region a phone number typed without +country code is read in (GB, IE, US…). Empty: AMENDS_PHONE_REGION."
        ),
    )
    sender_name = models.CharField(
        _("messages come from (name)"), max_length=120, blank=True, help_text=_("Empty: the location's name.")
    )
    sender_email = models.EmailField(
        _("messages come from (address)"),
        blank=True,
        help_text=_("The address customers' email comes from and their replies go to. Empty: DEFAULT_FROM_EMAIL."),
    )
    inbound_email = models.EmailField(
        _("customers write to"),
        blank=True,
        help_text=_(
            "An address whose mail Amends reads (inbox): mail to it from someone with no case open "
            "opens one here. Empty: none."
        ),
    )
    contact_line = models.CharField(
        _("how customers reach us"),
        max_length=200,
        blank=True,
        help_text=_(
            "Signs every message to customers and shows on their page, "
            "e.g. “Call 020 7946 0958 or write to soho@example.com”. Empty: AMENDS_CONTACT_LINE."
        ),
    )

    # What its customers read unless they chose otherwise (a new customer starts with it).
    language = models.CharField(
        _("customers' language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=default_language,
        help_text=_(
            "The language of the messages and pages of a customer first recorded here (each "
            "customer may have their own), and of the report page unless the browser asks for another."
        ),
    )

    # The public report page is /report/<report_token>/ (portal): the link and QR code staff print.
    # Never typed in the back office; an owner issues a new one from the location's page
    # (portal.services.report_link_renew), which ends the old link.
    report_token = models.CharField(max_length=64, unique=True, default=new_report_token, editable=False)

    # Working time (accounts/working_time.py): where the recovery policy counts deadlines in
    # working time, they run only while the location is open. No opening hours: open round the clock.
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_time_zone],
        help_text=_("The location's clock, e.g. Europe/London. Empty: the TIME_ZONE setting."),
    )
    holiday_country = models.CharField(
        _("public holidays of (country)"),
        max_length=2,
        blank=True,
        validators=[validate_holiday_country],
        help_text=_("Two-letter country code (GB, IE, FR…): its public holidays are closed days. Empty: none."),
    )
    holiday_subdivision = models.CharField(
        _("and of (part of the country)"),
        max_length=10,
        blank=True,
        help_text=_("Where holidays differ within the country: ENG, SCT, WLS or NIR for GB, a state for US."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            # One location per inbound address, compared in lower case; many may have none.
            models.UniqueConstraint(
                Lower("inbound_email"),
                condition=~models.Q(inbound_email=""),
                name="location_inbound_email_unique",
                violation_error_message=_("Another location already reads mail sent to this address."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        if self.holiday_subdivision and not self.holiday_country:
            raise ValidationError({"holiday_subdivision": SUBDIVISION_WITHOUT_COUNTRY})
        known = holidays.list_supported_countries().get(self.holiday_country)
        # An unknown country is the country field's error; its parts are checked once it is known.
        if self.holiday_subdivision and known is not None and self.holiday_subdivision not in known:
            message = UNKNOWN_SUBDIVISION.format(
                country=self.holiday_country,
                subdivision=self.holiday_subdivision,
                known=", ".join(known) or gettext("none"),
            )
            raise ValidationError({"holiday_subdivision": message})


def minutes_of(opens: datetime.time, closes: datetime.time) -> tuple[int, int]:
    """An interval of the day in minutes; a closing time of 00:00 is midnight at the day's end."""
    end = closes.hour * 60 + closes.minute
    return opens.hour * 60 + opens.minute, end or MINUTES_A_DAY


class OpeningHours(models.Model):
    """One interval a location is open on a day of the week. A location with none is open round the
    clock; a day with none is closed. Overnight hours are two rows (…-00:00, then 00:00-… the next day)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField(help_text=_("00:00 is midnight at the end of the day."))

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes__gt=models.F("opens")) | Q(closes=datetime.time(0)), name="hours_close_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}-{self.closes:%H:%M}"

    @property
    def minutes(self) -> tuple[int, int]:
        return minutes_of(self.opens, self.closes)

    def clean(self) -> None:
        super().clean()
        if self.opens is None or self.closes is None:
            return
        opens, closes = self.minutes
        if closes <= opens:
            raise ValidationError({"closes": CLOSES_BEFORE_OPENS})
        # Overlaps are a matter of the whole week, edited together: accounts/forms.py OpeningHoursFormSet.


class ClosedDate(models.Model):
    """A day the location is closed besides its country's public holidays (a refit, the owner's own holiday)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="closed_dates")
    date = models.DateField()
    name = models.CharField(_("why"), max_length=120, blank=True)

    class Meta:
        ordering = ["location", "date"]
        constraints = [models.UniqueConstraint(fields=["location", "date"], name="closed_date_once")]

    def __str__(self) -> str:
        return f"{self.date:%d %b %Y} {self.name}".strip()


class User(AbstractUser):
    """A member of staff. Their role is their group (Frontline, Manager, Owner)."""

    locations = models.ManyToManyField(Location, related_name="staff", blank=True)
    authority_limit = models.DecimalField(
        _("own authority limit"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What this person may grant without approval; empty means their role's limit."),
    )
    # Not a person: the user an integration token of the API acts as (api/), with the token's role
    # and location, so that the same rules apply to it. It has no password (it cannot sign in),
    # is never given cases or escalations, and the timeline names the integration as the actor.
    is_integration = models.BooleanField(default=False, editable=False)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
