"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(code: str, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=False
    )


LOAD = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60}, "ALLOWED_HOSTS"),
    ],
)
def test_production_names_the_missing_variable(env, missing):
    result = run(LOAD, **env)
    assert result.returncode != 0
    assert f"Set the {missing} environment variable" in result.stderr


def test_a_command_without_its_settings_says_which_are_missing():
    # Django sets the settings' error aside and used to fail later: "Models aren't loaded yet".
    command = "import runpy, sys; sys.argv = ['manage.py', 'makemigrations', '--check']"
    result = run(
        f"{command}; runpy.run_path('manage.py', run_name='__main__')", DJANGO_SETTINGS_MODULE="config.settings"
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "manage.py: Set the SECRET_KEY environment variable: it is required when DEBUG is off (see .env.example)."
    )


def test_debug_runs_with_local_defaults():
    result = run(
        LOAD + "; from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="1",
        DATABASE_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert "sqlite3" in result.stdout


@pytest.mark.parametrize(
    ("header", "order"), [("", "('REMOTE_ADDR',)"), ("HTTP_X_REAL_IP", "('HTTP_X_REAL_IP', 'REMOTE_ADDR')")]
)
def test_sign_in_lockouts_read_the_client_address_from_the_proxy_s_header_when_named(header, order):
    result = run(
        LOAD + "; import axes.conf; from django.conf import settings as s; print(s.AXES_IPWARE_META_PRECEDENCE_ORDER)",
        DEBUG="1",
        RATELIMIT_IP_META_KEY=header,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == order


def check_deploy(**env) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={
            **{k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", *env}},
            "DEBUG": "0",
            "SECRET_KEY": "a-long-random-production-secret-" + "k" * 40,
            "ALLOWED_HOSTS": "amends.example.com",
            "SECURE_SSL_REDIRECT": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
    )


def test_check_deploy_reports_nothing():
    result = check_deploy(AMENDS_PUBLIC_URL="https://amends.example.com", DEFAULT_FROM_EMAIL="Amends <a@example.com>")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_says_when_messages_would_link_to_this_machine_and_come_from_localhost():
    result = check_deploy(AMENDS_PUBLIC_URL="http://127.0.0.1:8000", DEFAULT_FROM_EMAIL="Amends <amends@localhost>")
    assert result.returncode != 0
    assert "amends.W001" in result.stderr and "amends.W002" in result.stderr, result.stderr


def test_database_url_picks_postgresql():
    result = run(
        LOAD + "; from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        DEBUG="1",
        DATABASE_URL="postgres://u@db.example:5432/amends",
    )
    assert "postgresql" in result.stdout, result.stderr


def test_a_refused_form_says_so_in_plain_words(frontline):
    from tests.conftest import signed_in

    response = signed_in(frontline, csrf=True).post("/notifications/read/", {"next": "/"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "Please send that again" in page and "Nothing was saved" in page


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("AMENDS_PUBLIC_URL", "amends.example.com", "AMENDS_PUBLIC_URL must be the address"),
        ("AMENDS_PUBLIC_URL", "ftp://amends.example.com", "AMENDS_PUBLIC_URL must be the address"),
        ("AMENDS_PUBLIC_URL", "https://amends.example.com/?x=1", "AMENDS_PUBLIC_URL must be the address"),
        ("AMENDS_PHONE_REGION", "UK", "AMENDS_PHONE_REGION must be a two-letter region code"),
    ],
)
def test_a_mistyped_site_address_or_phone_region_is_refused_by_name(name, value, says):
    result = run(LOAD, DEBUG="1", **{name: value})
    assert result.returncode != 0 and says in result.stderr


def test_the_site_address_and_region_are_read_tidied():
    show = "; from django.conf import settings; print(settings.AMENDS_PUBLIC_URL, settings.AMENDS_PHONE_REGION)"
    result = run(LOAD + show, DEBUG="1", AMENDS_PUBLIC_URL=" https://amends.example.com/ ", AMENDS_PHONE_REGION="ie")
    assert result.stdout.split() == ["https://amends.example.com", "IE"], result.stderr


ATTACHMENTS = (
    LOAD + "; from django.core.files.storage import storages; s = storages['attachments']; "
    "print(type(s).__module__, type(s).__name__, getattr(s, 'bucket_name', ''), getattr(s, 'endpoint_url', ''), "
    "getattr(s, 'location', ''))"
)
PRODUCTION = {"DEBUG": "1"}


def test_attachments_are_on_local_disk_by_default(tmp_path):
    result = run(ATTACHMENTS, **PRODUCTION, AMENDS_ATTACHMENTS_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.core.files.storage.filesystem", "FileSystemStorage", str(tmp_path)]


def test_a_bucket_puts_attachments_in_an_s3_compatible_store():
    result = run(
        ATTACHMENTS,
        **PRODUCTION,
        AMENDS_ATTACHMENTS_S3_BUCKET="amends-files",
        AMENDS_ATTACHMENTS_S3_ENDPOINT_URL="https://s3.example.test",
        AMENDS_ATTACHMENTS_S3_ACCESS_KEY_ID="key",
        AMENDS_ATTACHMENTS_S3_SECRET_ACCESS_KEY="secret",
    )
    assert result.returncode == 0, result.stderr
    module, name, bucket, endpoint, prefix = result.stdout.split()[:5]
    assert (module, name, bucket, endpoint, prefix) == (
        "storages.backends.s3",
        "S3Storage",
        "amends-files",
        "https://s3.example.test",
        "attachments",
    )
