"""The languages customers read us in: settings.LANGUAGES, the default (LANGUAGE_CODE's base
language, "en" for "en-gb"), and the language someone's browser asks for."""

from django.conf import settings
from django.utils import translation


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
    one of LANGUAGES; None if it names none (the caller then chooses)."""
    ranked = []
    for position, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if tag and tag != "*" and quality > 0:
            ranked.append((-quality, position, tag.strip()))
    for _, _, tag in sorted(ranked):
        try:
            return translation.get_supported_language_variant(tag)
        except LookupError:
            continue
    return None
