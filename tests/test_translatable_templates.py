"""The staff UI is translatable throughout: no template shows words outside a translation tag.

Each template is read with Django's own lexer; what lies between tags and variables is parsed as
HTML, and every piece of text a person reads (text between elements; the title, aria-label,
placeholder and alt attributes) must hold no word of its own: words come from `{% translate %}`,
`{% blocktranslate %}` or a variable. Script and style bodies, code samples and comments are not
read. A template not yet swept is listed in PENDING; the list only shrinks.
"""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent / "templates"
# Django admin overrides speak the admin's language, which Django translates itself.
NOT_OURS = ("admin/",)
# Words that are the same in every language: names, units, and abbreviations nobody translates.
SAME_EVERYWHERE = {"Amends", "CSV", "QR", "SMS", "PDF", "JSON", "MB", "KB", "ID", "OK"}
READ_ATTRIBUTES = {"title", "aria-label", "placeholder", "alt", "aria-description", "data-bs-title"}
NOT_READ_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp"}
PENDING: set[str] = set()

HOLE = "\x00"  # stands for a tag or a variable: it may hold words, the text around it may not
WORD = re.compile(r"[^\W\d_]{2,}")


def untranslated_text(source: str) -> list[str]:
    """The pieces of readable text in a template source that carry words of their own."""
    parts: list[str] = []
    skipping = None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split(" ", 1)[0]
            if skipping:
                if name == skipping:
                    skipping = None
            elif name in {"blocktranslate", "blocktrans", "comment", "verbatim"}:
                skipping = {"blocktrans": "endblocktrans", "comment": "endcomment"}.get(name, "end" + name)
            parts.append(HOLE)
        elif token.token_type == TokenType.TEXT and not skipping:
            parts.append(token.contents)
        elif token.token_type == TokenType.VAR:
            parts.append(HOLE)
    reader = _Reader()
    reader.feed("".join(parts))
    reader.close()
    return reader.found


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_READ_ELEMENTS:
            self.hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self._check(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_READ_ELEMENTS and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self._check(data)

    def _check(self, text: str) -> None:
        words = [word for word in WORD.findall(text) if word not in SAME_EVERYWHERE]
        if words:
            self.found.append(" ".join(text.replace(HOLE, "…").split()))


def staff_templates() -> list[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*")
        if path.suffix in {".html", ".txt"} and not str(path.relative_to(ROOT)).startswith(NOT_OURS)
    )


@pytest.mark.parametrize("name", staff_templates())
def test_every_word_a_template_shows_is_translatable(name):
    found = untranslated_text((ROOT / name).read_text())
    if name in PENDING:
        assert found, f"{name} is swept: take it off PENDING"
    else:
        assert found == []


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("<p>Hello</p>", ["Hello"]),
        ('<p>{% translate "Hello" %}</p>', []),
        ("<p>{% blocktranslate %}Hello {{ name }}{% endblocktranslate %}</p>", []),
        ('<a title="Open it" href="/x">{{ x }}</a>', ["Open it"]),
        ('<span aria-label="{{ n }} waiting">{{ n }}</span>', ["… waiting"]),
        ('<div class="text-muted small">{{ x }} · £{{ y }}</div>', []),
        ("<script>let words = 1;</script>{# a comment #}{% comment %}Not read{% endcomment %}", []),
        ("<p>{{ a }} of {{ b }}</p>", ["… of …"]),
        ("<td>CSV · SMS</td>", []),
    ],
)
def test_the_guard_finds_words_outside_translation_tags(source, found):
    assert untranslated_text(source) == found
