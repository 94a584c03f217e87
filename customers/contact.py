"""Normalising contact details, so that duplicates are caught however typed.

Pure Python: no Django import.
"""

import re

PHONE_MIN_DIGITS = 7
PHONE_MAX_DIGITS = 15  # E.164
INVALID_PHONE = "Enter a phone number of 7 to 15 digits, e.g. +44 20 7946 0958."

_SEPARATORS = re.compile(r"[\s\-().\/]")
_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() would take "²"


def normalise_phone(raw: str) -> str:
    """'+44 (20) 7946-0958' -> '+442079460958'. Raises ValueError if it is no phone number."""
    text = _SEPARATORS.sub("", raw.strip())
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = text[1:] if text.startswith("+") else text
    if not _DIGITS.fullmatch(digits) or not PHONE_MIN_DIGITS <= len(digits) <= PHONE_MAX_DIGITS:
        raise ValueError(INVALID_PHONE)
    return text


def normalise_email(raw: str) -> str:
    """Emails compare without case: Jane@Example.com is jane@example.com."""
    return raw.strip().lower()
