"""Backing up the PostgreSQL database and restoring it: pg_dump's custom format, restored by
pg_restore into a fresh database (docs/deploy.md, "Backups"). `manage.py db_backup` and
`manage.py db_restore` call these; tests/core/test_backups.py restores one and compares.

The client tools come from PATH (Debian's pg_wrapper picks the newest installed): they must be
of the server's major version or newer.
"""

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

NOT_POSTGRES = (
    "Backups are made with pg_dump, for PostgreSQL (DATABASE_URL=postgres://…); this database is {engine}. "
    "SQLite: copy the file while nothing runs, or use sqlite3's .backup."
)
NOT_EMPTY = (
    "The database {name} already has tables: restore into a new, empty database "
    "(db_restore --create makes it), never over one in use."
)
NO_TOOL = (
    "{tool} is not on PATH: install PostgreSQL's client tools (postgresql-client), of the server's version or newer."
)


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Restored:
    database: str
    tables: int


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(NO_TOOL.format(tool=name))
    return path


def libpq_environment(database: dict[str, Any]) -> dict[str, str]:
    """The environment that points pg_dump, pg_restore and psql at `database` (a Django
    DATABASES entry): the password never on a command line, where `ps` would show it."""
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(NOT_POSTGRES.format(engine=database["ENGINE"].rsplit(".", 1)[-1]))
    values = {
        "PGHOST": database.get("HOST") or "",
        "PGPORT": str(database.get("PORT") or ""),
        "PGUSER": database.get("USER") or "",
        "PGPASSWORD": database.get("PASSWORD") or "",
        "PGDATABASE": database["NAME"],
        "PGSSLMODE": (database.get("OPTIONS") or {}).get("sslmode", ""),
    }
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip()}")


def backup(*, database: dict[str, Any], to: Path) -> int:
    """Dump `database` to the file `to` in pg_dump's custom format (compressed; pg_restore picks
    what to restore) and read it back once to check it is whole. The dump is one consistent
    snapshot: writes go on meanwhile. Written beside `to` and renamed at the end, so a dump that
    failed half-way never looks like a backup. Returns its size in bytes."""
    env = libpq_environment(database)
    partial = to.with_name(to.name + ".partial")
    try:
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={partial}"], env)
        _run([_tool("pg_restore"), "--list", str(partial)], env)
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(to)
    return to.stat().st_size


def _connect(database: dict[str, Any], name: str) -> psycopg.Connection:
    params = {
        "host": database.get("HOST"),
        "port": database.get("PORT"),
        "user": database.get("USER"),
        "password": database.get("PASSWORD"),
        "sslmode": (database.get("OPTIONS") or {}).get("sslmode"),
    }
    return psycopg.connect(dbname=name, autocommit=True, **{key: value for key, value in params.items() if value})


def create_database(*, database: dict[str, Any]) -> None:
    """Make the empty database `database` names, through the server's maintenance database."""
    with _connect(database, "postgres") as maintenance:
        maintenance.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))


def _tables(database: dict[str, Any]) -> int:
    with _connect(database, database["NAME"]) as target:
        row = target.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
        ).fetchone()
    return int(row[0]) if row else 0


def restore(*, backup_file: Path, into: dict[str, Any], create: bool = False) -> Restored:
    """Restore a db_backup file into the database `into` names, which must be empty (or, with
    `create`, not exist yet). One transaction: a restore that fails leaves the database empty,
    never half-filled. Then point DATABASE_URL at it."""
    env = libpq_environment(into)
    if not backup_file.is_file():
        raise BackupError(f"No backup at {backup_file}.")
    try:
        if create:
            create_database(database=into)
        if _tables(into):
            raise BackupError(NOT_EMPTY.format(name=into["NAME"]))
    except psycopg.Error as error:
        raise BackupError(f"Cannot prepare the database {into['NAME']}: {error}".strip()) from error
    _run(
        [
            _tool("pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            f"--dbname={into['NAME']}",
            str(backup_file),
        ],
        env,
    )
    return Restored(database=into["NAME"], tables=_tables(into))
