"""QR codes for the pages customers reach from a printed card, drawn by segno as inline SVG
(no image file, no script, no request to anyone else)."""

from urllib.parse import urlsplit

import segno
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def qr_svg(url: str, *, title: str) -> SafeString:
    """The URL as a QR code in SVG that scales to its box (a viewBox, no fixed size); error
    correction M survives a smudged or creased card. `title` is what a screen reader says."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", lineclass=None, title=title)
    # segno escapes the title it writes; the rest is its own path data.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))


def short_link(url: str) -> SafeString:
    """The link as a person types it from a card: without https:// and the trailing slash."""
    parts = urlsplit(url)
    return format_html("{}{}", parts.netloc, parts.path.rstrip("/"))
