"""What the customer wrote, apart from the history their mail client quoted (no Django import).

A reply carries the messages before it: "On Tue, 1 Dec 2026, Amends wrote:" and the old text
behind `>`, an Outlook header block ("From: … Sent: …") or "-----Original Message-----", and a
signature after "-- ". The timeline shows what is new; the rest is kept, a click away.
Clients write the attribution line in the reader's language, so English, French, Spanish and
German are recognised, and Gmail folds a long one over two lines.
"""

import re
from dataclasses import dataclass

# "On <date>, <who> wrote:" and its translations; the line may be folded once (Gmail wraps it).
_ATTRIBUTION = re.compile(
    r"^\s*(?:"
    r"On\s.{1,200}?\swrote:"  # English
    r"|Le\s.{1,200}?\sa\s[ée]crit\s?:"  # French
    r"|El\s.{1,200}?\sescribi[óo]:"  # Spanish
    r"|Am\s.{1,200}?\sschrieb\s.{0,200}?:"  # German ("Am 1. Dez. 2026 um 10:00 schrieb Anna <…>:")
    r")\s*$",
    re.IGNORECASE | re.DOTALL,
)
_ORIGINAL = re.compile(
    r"^\s*-{2,}\s*(?:Original Message|Message d'origine|Mensaje original|Urspr[üu]ngliche Nachricht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
# Outlook's block: a From: line followed, within a few lines, by Sent:/Date: (or their translations).
_HEADER_FROM = re.compile(r"^\s*\*?(?:From|De|Von)\s?:\*?\s", re.IGNORECASE)
_HEADER_SENT = re.compile(r"^\s*\*?(?:Sent|Date|Envoy[ée]|Enviado|Fecha|Gesendet|Datum)\s?:\*?\s", re.IGNORECASE)
_SIGNATURE = re.compile(r"^-- ?$")
_QUOTED = re.compile(r"^\s*>")


@dataclass(frozen=True)
class Trimmed:
    """The new text (what the timeline shows) and what followed it (quoted history, signature)."""

    text: str
    rest: str


def _attribution_at(lines: list[str], index: int) -> int:
    """How many lines the attribution starting at `index` takes (0: none there)."""
    for span in (1, 2, 3):
        if index + span > len(lines):
            break
        if _ATTRIBUTION.match(" ".join(line.strip() for line in lines[index : index + span])):
            return span
    return 0


def _outlook_header_at(lines: list[str], index: int) -> bool:
    if not _HEADER_FROM.match(lines[index]):
        return False
    return any(_HEADER_SENT.match(line) for line in lines[index + 1 : index + 5])


def _quoted_tail_at(lines: list[str], index: int) -> bool:
    """From here to the end is only quoted lines and blank ones (at least one quoted)."""
    rest = [line for line in lines[index:] if line.strip()]
    return bool(rest) and all(_QUOTED.match(line) for line in rest)


def cut_at(lines: list[str]) -> int:
    """The index of the first line of quoted history or signature (len(lines) if none)."""
    for index, line in enumerate(lines):
        if (
            _attribution_at(lines, index)
            or _ORIGINAL.match(line)
            or _outlook_header_at(lines, index)
            or _SIGNATURE.match(line)
            or (_QUOTED.match(line) and _quoted_tail_at(lines, index))
        ):
            return index
    return len(lines)


def trim(text: str) -> Trimmed:
    """Split a reply into what is new and the rest. If cutting would leave nothing (a message
    that is all quote, or starts with a signature), the whole text is kept as new: a reply is
    never shown empty."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = cut_at(lines)
    new = "\n".join(lines[:index]).strip()
    rest = "\n".join(lines[index:]).strip()
    if not new:
        return Trimmed(text=text.strip(), rest="")
    return Trimmed(text=new, rest=rest)
