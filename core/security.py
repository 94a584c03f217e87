"""Headers every response carries beyond Django's own: a Permissions-Policy, and no caching
of anything shown to a signed-in person or downloaded as a file. The Content-Security-Policy
itself is django-csp's (config/settings.py); here only the one exception it needs, an email's
preview, whose own inline styles are allowed by their hashes and nothing else."""

import base64
import hashlib
import hmac
from html.parser import HTMLParser

from django.conf import settings
from django.http import HttpRequest
from django.utils.cache import add_never_cache_headers

# Where a template put the hashes of a preview's inline styles for this response.
STYLE_HASHES_ATTRIBUTE = "_amends_style_hashes"


def bearer_token_matches(request: HttpRequest, token: str) -> bool:
    """Whether the request sends `Authorization: Bearer <token>`; never when no token is set."""
    scheme, _, sent = request.headers.get("Authorization", "").partition(" ")
    # compare_digest takes as long whatever matches, so the time tells a guesser nothing.
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), token.encode())


def permissions_policy(features: list[str]) -> str:
    """The Permissions-Policy value that turns every one of these features off."""
    return ", ".join(f"{feature}=()" for feature in features)


class _InlineStyles(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.attributes: list[str] = []
        self.blocks: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.attributes.extend(value for name, value in attrs if name == "style" and value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.blocks.append(data)


def _hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def inline_style_sources(html: str) -> list[str]:
    """style-src sources allowing exactly the inline styles of this HTML (an email shown in a
    srcdoc frame inherits the page's policy): each style attribute and <style> block by its hash.
    Attributes need 'unsafe-hashes', which allows only the hashed values, not inline style at large."""
    parser = _InlineStyles()
    parser.feed(html)
    parser.close()
    sources = sorted({_hash(text) for text in parser.attributes + parser.blocks})
    if parser.attributes:
        sources.insert(0, "'unsafe-hashes'")
    return sources


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; Cache-Control: no-store on every response to a
    signed-in person and on every download (a shared computer's cache or back button must not
    show a case to the next person). Sits after AuthenticationMiddleware and inside django-csp's
    middleware, which reads the preview's style hashes from the response."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.permissions_policy = permissions_policy(settings.AMENDS_PERMISSIONS_POLICY_OFF)

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.permissions_policy)
        user = getattr(request, "user", None)
        download = response.get("Content-Disposition", "").startswith("attachment")
        if download or (user is not None and user.is_authenticated):
            add_never_cache_headers(response)
        hashes = getattr(request, STYLE_HASHES_ATTRIBUTE, None)
        if hashes:
            response._csp_update = {"style-src": hashes}
        return response
