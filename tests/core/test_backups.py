"""A backup is only as good as its restore: back up a database with data in it, restore it into
a fresh one, and compare them row for row (`manage.py db_backup`, `manage.py db_restore`)."""

import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from cases.models import State
from cases.services import case_add_note, case_transition
from core.backups import NOT_EMPTY, NOT_POSTGRES, BackupError, libpq_environment
from tests.factories import CaseFactory


def connect(name: str) -> psycopg.Connection:
    db = connection.settings_dict
    params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"], "password": db["PASSWORD"]}
    return psycopg.connect(dbname=name, autocommit=True, **{key: value for key, value in params.items() if value})


def snapshot(name: str) -> dict:
    """Every table's rows (in key order), and where each sequence stands."""
    with connect(name) as db:
        tables = [row[0] for row in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        rows = {
            table: db.execute(sql.SQL("SELECT * FROM {} ORDER BY 1").format(sql.Identifier(table))).fetchall()
            for table in tables
        }
        sequences = dict(db.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"))
    return {"rows": rows, "sequences": sequences}


@pytest.fixture
def fresh_database_name(postgres):
    name = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    yield name
    with connect("postgres") as db:
        db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def url_of(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_and_the_event_log(
    postgres, soho, frontline, fresh_database_name, tmp_path
):
    for number in range(3):
        case = CaseFactory(location=soho, created_by=frontline, description=f"Cold soup, table {number}")
        case_add_note(case=case, actor=frontline, note=f"Spoke to the chef about table {number}.")
        case_transition(case=case, actor=frontline, to_state=State.IN_RECOVERY, note="On it")
    source = snapshot(connection.settings_dict["NAME"])
    assert len(source["rows"]["cases_event"]) >= 6 and len(source["rows"]["cases_case"]) == 3

    backup_file = tmp_path / "amends.dump"
    call_command("db_backup", str(backup_file))
    assert backup_file.stat().st_size > 0 and not (tmp_path / "amends.dump.partial").exists()
    call_command("db_restore", str(backup_file), "--into", url_of(fresh_database_name), "--create")

    restored = snapshot(fresh_database_name)
    assert restored["rows"].keys() == source["rows"].keys()
    assert restored["rows"]["cases_event"] == source["rows"]["cases_event"]  # the event log, entry for entry
    assert restored == source  # every other table too, and the sequences: new ids follow on


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_restore_over_a_database_with_tables_is_refused_and_changes_nothing(postgres, soho, frontline, tmp_path):
    CaseFactory(location=soho, created_by=frontline)
    name = connection.settings_dict["NAME"]
    backup_file = tmp_path / "amends.dump"
    call_command("db_backup", str(backup_file))
    before = snapshot(name)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("db_restore", str(backup_file), "--into", url_of(name))
    assert snapshot(name) == before


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_failed_backup_leaves_no_file(postgres, tmp_path):
    missing = tmp_path / "no-such-folder" / "amends.dump"
    with pytest.raises(CommandError, match="pg_dump failed"):
        call_command("db_backup", str(missing))
    assert not missing.exists() and not missing.with_name("amends.dump.partial").exists()


def test_a_restore_of_a_file_that_is_not_there_says_so(postgres, tmp_path):
    with pytest.raises(CommandError, match="No backup at"):
        call_command("db_restore", str(tmp_path / "nothing.dump"), "--into", url_of("anything"))


def test_sqlite_is_told_how_to_back_up_instead():
    with pytest.raises(BackupError) as refused:
        libpq_environment({"ENGINE": "django.db.backends.sqlite3", "NAME": "var/amends.sqlite3"})
    assert str(refused.value) == NOT_POSTGRES.format(engine="sqlite3")
    assert "already has tables" in NOT_EMPTY
