"""What customers read: the built-in wording of each message, the owner's edits
(MessageTemplate), and turning either into a subject, plain text and HTML.

Templates are plain text with a few {{ placeholders }}; nothing else in them is
interpreted, so an owner's edit can never reach into the application.

Each message is written in the customer's language: the built-in wordings are translated
(locale/<language>/, with the same placeholders in every language), and the owner keeps at
most one wording of their own per message and language. `compose` and `builtin` read the
active language: callers switch to the customer's (translation.override) around them.
"""

import re
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_noop

from .placeholders import PLACEHOLDERS, UNKNOWN_PLACEHOLDER
from .plans import Purpose

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_ANYTHING_IN_BRACES = re.compile(r"\{\{(.*?)\}\}")
# Every word urlize can turn into a link holds one of these (its rules: http(s)://, www.,
# an address with @, a bare domain ending .com/.edu/.gov/.int/.mil/.net/.org).
_MAY_LINK = re.compile(r"http|www\.|@|\.(?:com|edu|gov|int|mil|net|org)", re.IGNORECASE)


@dataclass(frozen=True)
class Wording:
    subject: str
    body: str


# The built-in wordings in English, marked for translation; `builtin` gives them translated.
DEFAULTS: dict[Purpose, Wording] = {
    Purpose.REMEDY_MESSAGE: Wording(
        gettext_noop("What we have done to put things right"),
        gettext_noop(
            "Dear {{ first_name }},\n\n"
            "Thank you for telling us what went wrong on {{ incident_date }}, and we are sorry it happened. "
            "Here is what we have done to put it right:\n\n"
            "{{ details }}\n\n"
            "You can see where things stand at any time: {{ link }}\n\n"
            "With our apologies,\n{{ signature }}"
        ),
    ),
    Purpose.CORRECTIVE_MESSAGE: Wording(
        gettext_noop("What we changed after your experience with us"),
        gettext_noop(
            "Dear {{ first_name }},\n\n"
            "When you told us what went wrong on {{ incident_date }}, we promised to look at the cause. "
            "Here is what we have changed so that it does not happen again:\n\n"
            "{{ details }}\n\n"
            "Thank you for helping us do better. Your case: {{ link }}\n\n"
            "{{ signature }}"
        ),
    ),
    # True of every case it is sent for (some days after closing, whatever was granted), and
    # as many questions as the page asks (a test counts them).
    Purpose.SATISFACTION_CHECK: Wording(
        gettext_noop("Is everything right now?"),
        gettext_noop(
            "Dear {{ first_name }},\n\n"
            "A few days ago we closed your case about what went wrong on {{ incident_date }}. "
            "Is everything right now? Two quick questions, a minute at most: {{ link }}\n\n"
            "Thank you,\n{{ signature }}"
        ),
    ),
}
EDITABLE = list(DEFAULTS)

# Each remedy as the remedy message lists it ({{ details }}), in the customer's language: the
# English is the catalogue's label (recovery/policy.py), so English messages read as before.
REMEDY_LINES = {
    "apology": gettext_noop("Sincere apology and explanation"),
    "manager_call": gettext_noop("Personal call from the manager"),
    "owner_call": gettext_noop("Personal call from the owner"),
    "handwritten_card": gettext_noop("Handwritten card"),
    "full_refund": gettext_noop("Full refund"),
    "partial_refund": gettext_noop("Partial refund"),
    "discount": gettext_noop("Discount on a future purchase"),
    "gift_card": gettext_noop("Gift card"),
    "free_redo": gettext_noop("Free redo or replacement"),
    "free_item": gettext_noop("A free item or gift sent to the customer"),
    "correction": gettext_noop("Correction of the overcharge"),
    "reimbursement": gettext_noop("Reimbursement of the customer's costs"),
}
REMEDY_LINE = gettext_noop("- %(remedy)s")
REMEDY_LINE_WITH_AMOUNT = gettext_noop("- %(remedy)s of %(amount)s")
APOLOGY_ONLY = gettext_noop("- Our sincere apology")


def remedy_line(kind: str, label: str, amount: str) -> str:
    """One remedy of the remedy message in the active language: "- Full refund of £40.00"."""
    remedy = gettext(REMEDY_LINES[kind]) if kind in REMEDY_LINES else label
    if amount:
        return gettext(REMEDY_LINE_WITH_AMOUNT) % {"remedy": remedy, "amount": amount}
    return gettext(REMEDY_LINE) % {"remedy": remedy}


def unknown_placeholders(text: str) -> list[str]:
    return sorted({name.strip() for name in _ANYTHING_IN_BRACES.findall(text) if name.strip() not in PLACEHOLDERS})


def check_placeholders(text: str) -> None:
    """Raise ValueError naming the first placeholder that is not known (in the active language:
    staff read it, beside the words they typed)."""
    unknown = unknown_placeholders(text)
    if unknown:
        known = ", ".join(f"{{{{ {name} }}}}" for name in PLACEHOLDERS)
        raise ValueError(UNKNOWN_PLACEHOLDER % {"placeholder": f"{{{{ {unknown[0]} }}}}", "known": known})


def fill(text: str, values: dict[str, str]) -> str:
    """Put the values in; a placeholder with no value becomes empty."""
    return _PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


@dataclass(frozen=True)
class Composed:
    subject: str
    text: str
    html: str


def builtin(purpose: Purpose) -> Wording:
    """The built-in wording of this purpose in the active language."""
    default = DEFAULTS[purpose]
    return Wording(gettext(default.subject), gettext(default.body))


def wording_for(purpose: Purpose, language: str, overrides: dict[tuple[str, str], Wording] | None = None) -> Wording:
    """The owner's wording for this purpose in `language` if there is one, else the built-in
    one in the active language (the caller has switched to `language`)."""
    return (overrides or {}).get((purpose.value, language)) or builtin(purpose)


def compose(wording: Wording, values: dict[str, str]) -> Composed:
    """Subject, plain text and HTML (the text in the house layout, links clickable)."""
    return composed(fill(wording.subject, values), fill(wording.body, values))


def composed(subject: str, text: str) -> Composed:
    """A message already filled in (words staff wrote, stored as the customer reads them),
    in the house layout; nothing in it is interpreted."""
    subject = " ".join(subject.split())
    text = text.strip() + "\n"
    html = render_to_string(
        "followups/email/message.html",
        # linked_and_escaped escapes the text before linking it, so the result is safe to mark.
        {"subject": subject, "body_html": mark_safe(linebreaks(linked_and_escaped(text), autoescape=False))},  # noqa: S308
    )
    return Composed(subject, text, html)


def linked_and_escaped(text: str) -> str:
    """`urlize(text, autoescape=True)`, line by line, with lines that hold nothing urlize could
    link only escaped: the same result (a test holds the two together) for a fraction of the
    work. urlize looks at every word and was a tenth of the time of sending a message."""
    return "\n".join(
        urlize(line, autoescape=True) if _MAY_LINK.search(line) else escape(line) for line in text.split("\n")
    )
