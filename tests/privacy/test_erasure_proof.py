"""The proof (issue 16): after a customer's erasure nothing that identifies them is left anywhere
Amends keeps data: every table of the database (every column of every row, read as text, bytes
too), whatever app or library made it, and every file in the storages and the media folder.

The tables are the database's own list (a table added later is searched without being named
here), held against the app registry's so that the search sees every model's table; before the
erasure the same search must find her everywhere she was, so a search that finds nothing proves
something."""

import json
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection

from cases.models import Case
from privacy.services import ANONYMISED_NAME, customer_anonymise
from recovery.models import Proposal
from tests.privacy.conftest import NEEDLES


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, memoryview | bytes | bytearray):
        return bytes(value).decode("latin-1")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def found_in_tables() -> dict[str, set[str]]:
    """{needle: {"table.row", ...}} over every row of every table, every column as text."""
    found: dict[str, set[str]] = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608 (names from the database's own catalogue)
            for number, row in enumerate(cursor.fetchall()):
                text = " ".join(_text(value) for value in row).lower()
                for needle in NEEDLES:
                    if needle.lower() in text:
                        found.setdefault(needle, set()).add(f"{table}#{number}")
    return found


def storage_folders() -> list[Path]:
    folders = [Path(settings.MEDIA_ROOT)] if settings.MEDIA_ROOT else []
    for storage in settings.STORAGES.values():
        location = storage.get("OPTIONS", {}).get("location")
        if location:
            folders.append(Path(location))
    return [folder for folder in folders if folder.is_dir()]


def found_in_files() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for folder in storage_folders():
        for root, _dirs, names in os.walk(folder):
            for name in names:
                path = Path(root) / name
                text = (path.name + " " + path.read_bytes().decode("latin-1")).lower()
                for needle in NEEDLES:
                    if needle.lower() in text:
                        found.setdefault(needle, set()).add(str(path))
    return found


def test_every_models_table_is_searched(db):
    """The search reads the database's tables; each model's (many-to-many ones too) is among them."""
    models = {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}
    assert models <= set(tables()), models - set(tables())


def test_nothing_identifying_remains_after_erasure(everything, django_capture_on_commit_callbacks):
    """On SQLite by default; on PostgreSQL with DATABASE_URL (CI runs both)."""
    before_tables, before_files = found_in_tables(), found_in_files()
    # The search can see her: in the database, each thing that identifies her, and in a file.
    assert set(before_tables) == set(NEEDLES), set(NEEDLES) - set(before_tables)
    assert before_files, "her receipt is on disk"
    figures = list(Case.objects.filter(customer=everything.customer).values_list("order_value", "severity", "state"))
    granted = list(Proposal.objects.filter(case__customer=everything.customer).values_list("compensation", "state"))
    with django_capture_on_commit_callbacks(execute=True):
        customer_anonymise(customer=everything.customer, actor=everything.owner)
    assert found_in_tables() == {}
    assert found_in_files() == {}
    everything.customer.refresh_from_db()
    assert everything.customer.name == ANONYMISED_NAME
    # What the dashboards count stays.
    assert list(Case.objects.filter(customer=everything.customer).values_list("order_value", "severity", "state")) == (
        figures
    )
    assert list(Proposal.objects.filter(case__customer=everything.customer).values_list("compensation", "state")) == (
        granted
    )
