"""Form fields that know their limits, for every query parameter and form field a user can type.

Django's own fields take what Python takes: `int("٣")` is 3, a date in the year 9999 is a date,
and one day after it is an OverflowError deep in a selector. These refuse, with a message, what
the app cannot use: digits other than 0-9, dates and times outside the years it can reckon with,
numbers past what the database holds, and NUL or other control characters in text.
"""

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# The years the app reckons with: far enough back for an old receipt, far enough ahead for any
# plan, and far from the ends of Python's calendar, where adding a day or a time zone overflows.
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
OUT_OF_RANGE = format_lazy(
    _("Choose a date between {earliest} and {latest}."), earliest=f"{EARLIEST:%-d %b %Y}", latest=f"{LATEST:%-d %b %Y}"
)
# Ids and counts fit PostgreSQL's integer.
INT_MAX = 2**31 - 1
NOT_A_NUMBER = _("Enter a whole number, in the digits 0-9.")
CONTROL_CHARACTERS = _("Remove the control characters (such as NUL) from the text.")

# The longest free text a form takes (what happened, a note, a reason): a page of writing.
MAX_TEXT = 4000

_ASCII_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
# C0 controls and DEL, except tab, line feed and carriage return, which a textarea sends.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_int(text: str | None) -> int | None:
    """A whole number written in ASCII digits, else None: the one parser of numbers a user typed."""
    text = (text or "").strip()
    return int(text) if _ASCII_INTEGER.fullmatch(text) else None


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def refuse_control_characters(value) -> None:
    """A validator: text with NUL (which PostgreSQL cannot store) or another control character is refused."""
    if isinstance(value, str) and has_control_characters(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


def refuse_far_dates(value) -> None:
    """A validator for a date or a datetime: within the years the app reckons with."""
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(OUT_OF_RANGE, code="out_of_range")


class CharField(forms.CharField):
    """Text without NUL or other control characters, refused with one message (tab and line breaks are text)."""

    default_validators = [refuse_control_characters]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Django's own NUL check would say it a second time.
        self.validators = [v for v in self.validators if not isinstance(v, ProhibitNullCharactersValidator)]


class DateField(forms.DateField):
    """A date within the years the app reckons with."""

    default_validators = [refuse_far_dates]


class PastDateField(forms.DateField):
    """A date that may lie long ago (a customer since 1987), but not in the year 1 or in the future."""

    earliest = date(1900, 1, 1)

    def validate(self, value):
        super().validate(value)
        if value is not None and not self.earliest <= value <= timezone.localdate():
            message = gettext("Choose a date between %(earliest)s and today.") % {
                "earliest": f"{self.earliest:%-d %b %Y}"
            }
            raise ValidationError(message, code="out_of_range")


class DateTimeField(forms.DateTimeField):
    """A date and time within the years the app reckons with."""

    default_validators = [refuse_far_dates]

    def to_python(self, value):
        # A local time at the ends of the calendar cannot even be made aware.
        try:
            return super().to_python(value)
        except OverflowError as error:
            raise ValidationError(OUT_OF_RANGE, code="out_of_range") from error


class IntegerField(forms.IntegerField):
    """A whole number in ASCII digits that the database can hold ("²" and "٣" are refused)."""

    default_error_messages = {"invalid": NOT_A_NUMBER}

    def __init__(self, *, min_value=-INT_MAX, max_value=INT_MAX, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        number = parse_int(str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


class IdField(IntegerField):
    """The id of a row, as a hidden field or a query parameter."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


def _has_foreign_digits(text: str) -> bool:
    return any(ch.isdigit() and not ch.isascii() for ch in text)


class DecimalField(forms.DecimalField):
    """An amount in ASCII digits (Python's Decimal would take "٣" for 3)."""

    def to_python(self, value):
        if isinstance(value, str) and _has_foreign_digits(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class ModelChoiceField(forms.ModelChoiceField):
    """A row chosen by its id, where the id is written in ASCII digits (Django would take "٣" for 3)."""

    def to_python(self, value):
        if isinstance(value, str) and value and parse_int(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


def local_datetime_input() -> forms.DateTimeInput:
    """The browser's own date-and-time picker, in the local time the server reads back."""
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
