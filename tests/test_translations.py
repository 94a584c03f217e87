"""The translations are complete where customers read them, and compiled.

(a) Every entry of each language's catalogue that a customer may read (its source is one of the
customer-facing files, or it is one of the lower apps' messages the portal shows) is translated
and not fuzzy. Read from the committed .po with polib: no gettext tools needed.
(b) The committed .mo says what the .po says, so nobody forgets `make messages`.
(c) Where xgettext is installed, the catalogue holds every customer-facing string the code uses
today (makemessages run into a copy): a string added without updating the catalogue fails here.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

from cases.models import Category
from followups.messages import DEFAULTS
from portal.languages import CUSTOMER_MESSAGES
from recovery.words import SAID

ROOT = Path(__file__).resolve().parent.parent
# Where customers' words live: their pages, their emails, the messages' built-in wordings, the
# pure rules whose messages the portal shows them, how an amount is written, and what staff
# say to them on a remedy (recovery/words.py's SAID, durations included).
CUSTOMER_SOURCES = (
    "portal/",
    "templates/portal/",
    "templates/followups/email/message.html",
    "followups/messages.py",
    "customers/contact.py",
    "attachments/validation.py",
    "core/money.py",
)
TRANSLATED = [code for code, _ in settings.LANGUAGES if code != "en"]


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))


def customer_facing(entry: polib.POEntry) -> bool:
    return (
        any(path.startswith(CUSTOMER_SOURCES) for path, _ in entry.occurrences)
        or entry.msgid in CUSTOMER_MESSAGES
        or entry.msgid in SAID
        or entry.msgid in {label for _, label in Category.choices}
    )


def test_french_ships():
    assert "fr" in TRANSLATED


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_customer_facing_entry_is_translated_and_not_fuzzy(language):
    po = catalogue(language)
    facing = [entry for entry in po if customer_facing(entry)]
    assert len(facing) > 100  # the pages, the emails, the messages: a catalogue that lost them fails
    missing = [entry.msgid for entry in facing if not entry.translated()]
    fuzzy = [entry.msgid for entry in facing if entry.fuzzy]
    assert missing == [] and fuzzy == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_built_in_messages_keep_every_placeholder(language):
    po = {entry.msgid: entry.msgstr for entry in catalogue(language)}
    for wording in DEFAULTS.values():
        for english in (wording.subject, wording.body):
            placeholders = sorted(polib.re.findall(r"\{\{\s*\w+\s*\}\}", english))
            assert sorted(polib.re.findall(r"\{\{\s*\w+\s*\}\}", po[english])) == placeholders


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_mo_is_the_po_compiled(language):
    po = catalogue(language)
    mo = polib.mofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.mo"))
    compiled = {(entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural for entry in mo}
    wanted = {
        (entry.msgctxt, entry.msgid): entry.msgstr or entry.msgstr_plural
        for entry in po
        if entry.translated() and not entry.obsolete
    }
    plural = {key: {int(k): v for k, v in value.items()} for key, value in wanted.items() if isinstance(value, dict)}
    compiled = {key: ({int(k): v for k, v in v.items()} if isinstance(v, dict) else v) for key, v in compiled.items()}
    assert {key: plural.get(key, value) for key, value in wanted.items()} == {
        key: compiled.get(key) for key in wanted
    }, "locale/: run `make messages` (or compilemessages) and commit the .mo"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs xgettext (apt-get install gettext)")
def test_the_catalogue_holds_every_customer_facing_string_in_the_code(tmp_path):
    """makemessages in a copy of the sources: every customer-facing msgid it finds is in the
    committed catalogue (so translated, by the test above)."""
    copy = tmp_path / "src"
    ignore = shutil.ignore_patterns(".venv", "node_modules", "var", ".git", "__pycache__", "static", "tests", "locale")
    shutil.copytree(ROOT, copy, ignore=ignore, symlinks=True)
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "fr", "--settings=tests.settings", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(copy) + ":" + str(ROOT), "SECRET_KEY": "x"},
    )
    extracted = polib.pofile(str(copy / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    committed = {entry.msgid for entry in catalogue("fr")}
    missing = [entry.msgid for entry in extracted if customer_facing(entry) and entry.msgid not in committed]
    assert missing == [], "run `make messages` and translate what it adds"
