"""The language of the customer's pages: their own where we know them (the case's customer),
else the one chosen on the page (?lang=), else what their browser asks for, else the location's.
And the messages of lower apps a customer may read on these pages, translated when shown."""

import re
from decimal import Decimal

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext

from attachments import services as attachment_services
from attachments import validation
from cases.services import REPORT_EMPTY
from core.languages import default_language, from_accept_language, language_choices
from core.translatable import translate_filled
from customers import contact
from customers.services import NO_CONTACT

from .services import COMMENT_TOO_LONG, NO_LONGER_AVAILABLE, NOT_ASKED

# Written in English where the rule lives (marked there with gettext_noop), shown on a
# customer's page in their language.
CUSTOMER_MESSAGES = (
    contact.NOT_A_PHONE,
    contact.NO_SUCH_COUNTRY,
    contact.TOO_SHORT,
    contact.TOO_LONG,
    contact.NO_EXTENSION,
    attachment_services.REFUSED,
    validation.EMPTY,
    validation.TOO_LARGE,
    validation.NOT_ALLOWED,
    validation.NOT_READABLE,
    validation.TOO_MANY_PIXELS,
    validation.NOT_A_PDF,
    validation.MEGABYTES,
    validation.KILOBYTES,
    validation.BYTES,
    REPORT_EMPTY,
    NO_CONTACT,
    COMMENT_TOO_LONG,
    NO_LONGER_AVAILABLE,
    NOT_ASKED,
)


_NUMERAL = re.compile(r"\d+(?:\.\d+)?")


def localised_number(value: str) -> str:
    """A number a message was filled with ("10.0"), written the way the active language does
    ("10,0" in French); anything else as it is. No thousands separators: English keeps "1234"."""
    return number_format(Decimal(value)) if _NUMERAL.fullmatch(value) else value


def customer_words(message: str) -> str:
    """A lower app's message (perhaps filled in) in the active language, its numbers too: "The
    file is too large: 12.3 MB (at most 10.0 MB)." reads "… 12,3 Mo (au plus 10,0 Mo)." in French."""
    return translate_filled(str(message), CUSTOMER_MESSAGES, gettext, localised_number)


class PageLanguageForm(forms.Form):
    """The language switcher's choice (?lang=fr): one of LANGUAGES or nothing."""

    lang = forms.ChoiceField(choices=language_choices, required=False)

    def chosen(self) -> str:
        return (self.is_valid() and self.cleaned_data["lang"]) or ""


def page_language(request, fallback: str | None) -> str:
    """The language of a page for someone we do not know yet: the one they chose with the
    switcher, else the first of LANGUAGES their browser asks for, else `fallback` (the
    location's), else the default."""
    return (
        PageLanguageForm(request.GET).chosen()
        or from_accept_language(request.headers.get("Accept-Language", ""))
        or fallback
        or default_language()
    )
