"""Messages written in English in the rule modules and read by customers in their language,
with no Django import (the rule modules stay plain Python).

`gettext_noop` marks a message for translation: makemessages finds it by that name, and it
returns the message as it is. Where the message is shown, the caller translates it; a message
already filled in ("This number is too short for France: …") is read back by `translate_filled`
against the templates it may have come from, and the translated template filled with the same
values (translated too, when one is itself such a message).
"""

import re
from collections.abc import Callable, Iterable
from functools import cache

# gettext in some language, handed to a rule module by the page or message that shows its words.
Translate = Callable[[str], str]
_FIELD = re.compile(r"\{(\w+)\}")


def gettext_noop(message: str) -> str:
    """Mark `message` for translation; return it as it is."""
    return message


def as_it_is(message: str) -> str:
    """The translator of a rule module's messages when none is given: English, as written."""
    return message


@cache  # the templates are the modules' constants: a few dozen, read back on every preview
def _pattern(template: str) -> re.Pattern[str]:
    parts, position = [], 0
    for match in _FIELD.finditer(template):
        parts.append(re.escape(template[position : match.start()]))
        parts.append(f"(?P<{match.group(1)}>.+?)")
        position = match.end()
    parts.append(re.escape(template[position:]))
    return re.compile("".join(parts), re.DOTALL)


def translate_filled(
    message: str,
    templates: Iterable[str],
    translate: Callable[[str], str],
    number: Callable[[str], str] | None = None,
) -> str:
    """`message` in the language `translate` gives: the first of `templates` (str.format
    templates with named fields, or plain messages) it was made from, translated and filled with
    the same values (translated too, when one is itself such a message; else passed through
    `number`, which writes a number the way the language does, if given); the message as it is
    if it was made from none of them."""
    templates = list(templates)
    for template in templates:
        match = _pattern(template).fullmatch(message)
        if match is None:
            continue
        others = [t for t in templates if t != template]
        values = {name: _value(value, others, translate, number) for name, value in match.groupdict().items()}
        return translate(template).format(**values) if values else translate(template)
    return message


def _value(
    value: str, templates: list[str], translate: Callable[[str], str], number: Callable[[str], str] | None
) -> str:
    if any(_pattern(template).fullmatch(value) for template in templates):
        return translate_filled(value, templates, translate, number)
    return number(value) if number is not None else value
