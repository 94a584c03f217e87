"""The headers every page carries: a Content-Security-Policy with no inline script or style,
a Permissions-Policy, and no caching of what a signed-in person sees or downloads."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from core.security import inline_style_sources
from tests.conftest import signed_in
from tests.factories import CaseFactory
from tests.project import APPS

ROOT = Path(settings.BASE_DIR)
# Inline code and style the policy refuses: a style attribute or block, a script with no src,
# an event handler attribute (onclick="..."), a javascript: address.
INLINE = re.compile(r"""style=|<style|<script(?![^>]*\bsrc=)|\son[a-z]+=|javascript:""", re.IGNORECASE)


def python_strings(source: str):
    """The string literals of a module that could be markup: docstrings aside."""
    tree = ast.parse(source)
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.value


def page_sources():
    """Every template of a page (emails are mail, not pages, and keep their inline styles)
    and every Python module of ours, since some write HTML (dashboard/svg.py)."""
    for path in sorted((ROOT / "templates").rglob("*.html")):
        if "email" not in path.relative_to(ROOT / "templates").parts:
            yield path
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


@pytest.mark.parametrize("path", list(page_sources()), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_page_source_has_inline_script_or_style(path):
    text = path.read_text()
    if path.suffix == ".py":
        text = "\n".join(python_strings(text))
    found = [match.group(0) for match in INLINE.finditer(text)]
    assert not found, f"{path.relative_to(ROOT)} has inline {found}: use a class in static/css or a file in static/js"


def directives(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {name: set(values) for name, *values in (part.split() for part in policy.split(";") if part.strip())}


EXPECTED_POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def test_a_signed_out_page_has_the_policy(db):
    response = Client().get(reverse("login"))
    assert directives(response) == EXPECTED_POLICY
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_a_signed_in_page_has_the_policy_and_is_never_stored(frontline, soho):
    CaseFactory(location=soho)
    response = signed_in(frontline).get(reverse("cases:list"), follow=True)
    assert response.status_code == 200
    assert directives(response) == EXPECTED_POLICY
    assert {"payment=()", "usb=()", "microphone=()"} <= set(response["Permissions-Policy"].split(", "))
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


@pytest.mark.parametrize("url_name", ["cases:list", "dashboard:home"])
def test_a_csv_download_is_never_stored(owner, soho, url_name):
    response = signed_in(owner).get(reverse(url_name), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]


def test_an_email_preview_allows_only_its_own_inline_styles(owner, soho):
    """The preview frame (srcdoc) inherits the page's policy: the email's style attributes are
    allowed by their hashes on that response, and no other page allows any."""
    client = signed_in(owner)
    url = reverse("followups:message_edit", kwargs={"purpose": "satisfaction_check"})
    form = {"subject": "How did we do?", "body": "Hi {{ first_name }}, how did we do? {{ link }}", "do": "preview"}
    preview = client.post(url, form)
    styles = directives(preview)["style-src"]
    assert "'self'" in styles and "'unsafe-hashes'" in styles and "'unsafe-inline'" not in styles
    assert len(styles) > 2
    assert directives(client.get(reverse("cases:list"), follow=True))["style-src"] == {"'self'"}


def test_inline_style_sources_hash_each_attribute_and_block():
    # sha256, base64, of "color: red" and of "p{margin:0}" (what a browser hashes: the value).
    sources = inline_style_sources('<p style="color: red">a</p><style>p{margin:0}</style><p style="color: red"></p>')
    assert sources == [
        "'unsafe-hashes'",
        "'sha256-NerDAUWfwD31YdZHveMrq0GLjsNFMwxLpZl0dPUeCcw='",
        "'sha256-QRQPRLGyxt3RJiKpYNjpkgHcmHU2PywsfL2e8oI0LQA='",
    ]
    assert inline_style_sources("<p>plain</p>") == []
