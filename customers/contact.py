"""Normalising contact details, so that duplicates are caught however typed.

Phone numbers are read with the `phonenumbers` library (Google's libphonenumber) in the
region of the location they were typed at, and kept in E.164: "07700 900123" typed in
Soho and "+44 7700 900123" are both +447700900123. We check that a number could be one
(its country, and its length there), not that it is in service: the ranges kept for
drama and tests (07700 900xxx) are accepted.

Pure Python: no Django import.
"""

from collections.abc import Iterable

import phonenumbers
from phonenumbers import NumberParseException, ValidationResult

from core.translatable import gettext_noop

NOT_A_PHONE = gettext_noop(
    "This is not a phone number: type it as you would dial it (07700 900123) or with its country code."
)
NO_SUCH_COUNTRY = gettext_noop("No country has that code: check the digits after the +.")
TOO_SHORT = gettext_noop("This number is too short for {country}: check it, or start with + and the country code.")
TOO_LONG = gettext_noop("This number is too long for {country}: check it, or start with + and the country code.")
NO_EXTENSION = gettext_noop("Give the number without its extension (put the extension in the notes).")
# What normalise_phone may refuse a number with, for whoever shows it to translate it back.
PHONE_MESSAGES = (NOT_A_PHONE, NO_SUCH_COUNTRY, TOO_SHORT, TOO_LONG, NO_EXTENSION)
# Longer than any number with its spaces and punctuation: not worth parsing. Forms take
# this much (the stored E.164 is at most 16 characters).
PHONE_MAX_TYPED = 40


def _country(number: phonenumbers.PhoneNumber) -> str:
    """The country code a number was read with, and its main region: "+44 (GB)"."""
    region = phonenumbers.region_code_for_country_code(number.country_code or 0)  # a parsed number has one
    return f"+{number.country_code}" + (f" ({region})" if region != "ZZ" else "")


def normalise_phone(raw: str, region: str) -> str:
    """'07700 900123' (in GB) or '+44 (7700) 900-123' -> '+447700900123'.

    `region` (GB, IE, US…) is where a number typed without + and its country code belongs.
    Raises ValueError, with a message to show, for what cannot be a phone number.
    """
    text = raw.strip()
    if not text or len(text) > PHONE_MAX_TYPED:
        raise ValueError(NOT_A_PHONE)
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as error:
        raise ValueError(
            NO_SUCH_COUNTRY if error.error_type == NumberParseException.INVALID_COUNTRY_CODE else NOT_A_PHONE
        ) from error
    if number.extension:
        raise ValueError(NO_EXTENSION)
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == ValidationResult.INVALID_COUNTRY_CODE:
        raise ValueError(NO_SUCH_COUNTRY)
    if reason == ValidationResult.TOO_LONG:
        raise ValueError(TOO_LONG.format(country=_country(number)))
    # Too short, or only a local number without its area code; or a trunk 0 left in front
    # because what follows is too short to be a number without it ("0770 090").
    trunk_left = number.italian_leading_zero and not phonenumbers.is_valid_number(number)
    if reason != ValidationResult.IS_POSSIBLE or trunk_left:
        raise ValueError(TOO_SHORT.format(country=_country(number)))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_for_display(stored: str) -> str:
    """'+447700900123' -> '+44 7700 900123': the stored E.164 grouped as people read it.
    What is not a number we can read (an old row kept as typed) is shown as it is."""
    try:
        number = phonenumbers.parse(stored, None)
    except NumberParseException:
        return stored
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_readings(text: str, regions: Iterable[str]) -> set[str]:
    """Every number `text` is when typed in one of `regions` (for search): empty if none."""
    readings = set()
    for region in regions:
        try:
            readings.add(normalise_phone(text, region))
        except ValueError:
            continue
    return readings


def phone_search_digits(text: str) -> str:
    """The digits to look for inside stored numbers when part of one is typed: "07700 9"
    looks for "77009" (a leading 00 or trunk 0 is not in the E.164 form); "" for under 3."""
    digits = "".join(ch for ch in text if "0" <= ch <= "9")  # ASCII only: str.isdigit() takes "²"
    digits = digits[2:] if digits.startswith("00") else digits[1:] if digits.startswith("0") else digits
    return digits if len(digits) >= 3 else ""


def normalise_email(raw: str) -> str:
    """Emails compare without case: Jane@Example.com is jane@example.com."""
    return raw.strip().lower()
