"""The languages customers read us in: settings.LANGUAGES, the default (LANGUAGE_CODE's base
language, "en" for "en-gb"), and the language someone's browser asks for."""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header


def default_language() -> str:
    """LANGUAGE_CODE's base language: what a location speaks unless told otherwise."""
    base = settings.LANGUAGE_CODE.split("-")[0]
    return base if base in codes() else codes()[0]


def language_choices() -> list[tuple[str, str]]:
    return [(code, str(name)) for code, name in settings.LANGUAGES]


def codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def supported(code: str | None) -> str:
    """`code` if it is one of LANGUAGES (a regional variant, "fr-CA", as its language), else
    the default."""
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return default_language()


def from_accept_language(header: str) -> str | None:
    """The first language of an Accept-Language header (in the order of its q values) that is
    one of LANGUAGES; None if it names none (the caller then chooses: the location's language,
    which is why Django's get_language_from_request, falling back to LANGUAGE_CODE, is not used).
    The header is read by Django's own parser, the one that function uses (length-capped, cached)."""
    for tag, _ in parse_accept_lang_header(header):
        if tag == "*":
            break
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return None


def speaking(language: str, function: Callable[..., str]) -> Callable[..., str]:
    """`function` (gettext, format_money) run in `language`, for a rule module that says things
    to someone who reads another language than the page's: the words staff read out to a customer."""

    def spoken(*args: Any) -> str:
        with translation.override(language):
            return function(*args)

    return spoken
