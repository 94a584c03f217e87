"""What docs/deploy.md promises an operator: every environment variable the app reads is
described there and in .env.example, the Procfile runs what it says, and gunicorn's settings
come from the environment."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
READERS = {
    # env.str("NAME", ...), env.int(\n "NAME" ...), and required("NAME") for the production-only ones.
    "config/settings.py": [r'\benv\.\w+\(\s*"([A-Z][A-Z0-9_]*)"', r'\brequired\(\s*"([A-Z][A-Z0-9_]*)"'],
    "config/gunicorn.py": [r'os\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]*)"', r'\b_int\(\s*"([A-Z][A-Z0-9_]*)"'],
    "bin/serve.py": [r'os\.environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]*)"', r"os\.environ\.get\(\s*'([A-Z][A-Z0-9_]*)'"],
    "Procfile": [r"\$\{([A-Z][A-Z0-9_]*)"],
}


def variables_read() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path, patterns in READERS.items():
        text = (ROOT / path).read_text()
        for pattern in patterns:
            for name in re.findall(pattern, text):
                found.setdefault(name, set()).add(path)
    return found


def test_the_reading_finds_the_variables_it_must():
    found = variables_read()
    for name in ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL", "AMENDS_HEALTH_TOKEN"]:
        assert "config/settings.py" in found[name]
    assert {"WEB_CONCURRENCY", "GUNICORN_BIND", "GUNICORN_THREADS"} <= found.keys()
    assert "WORKER_CONCURRENCY" in found


@pytest.mark.parametrize("document", ["docs/deploy.md", ".env.example"])
def test_every_variable_the_app_reads_is_described(document):
    text = (ROOT / document).read_text()
    missing = {name: sorted(paths) for name, paths in variables_read().items() if not re.search(rf"\b{name}\b", text)}
    assert not missing, f"{document} does not describe {missing}"


def test_the_procfile_runs_one_web_one_worker_one_beat_and_migrates_on_release():
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert processes.keys() == {"web", "worker", "beat", "release"}
    assert processes["web"].startswith("gunicorn -c config/gunicorn.py config.wsgi")
    assert " worker " in processes["worker"] and "--beat" not in processes["worker"]  # beat apart: exactly one
    assert " beat " in processes["beat"] and "DatabaseScheduler" in processes["beat"]
    assert processes["release"] == "python manage.py migrate --noinput"


def gunicorn_config(**env: str) -> subprocess.CompletedProcess:
    ours = {"PORT", "WEB_CONCURRENCY"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_") and k not in ours}
    return subprocess.run(
        [str(Path(sys.executable).parent / "gunicorn"), "--print-config", "-c", "config/gunicorn.py", "config.wsgi"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "tests.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def setting(output: str, name: str) -> str:
    match = re.search(rf"^{name}\s+= (.*)$", output, re.MULTILINE)
    assert match, output
    return match.group(1).strip()


def test_gunicorn_reads_its_settings_from_the_environment():
    result = gunicorn_config(
        WEB_CONCURRENCY="3", GUNICORN_THREADS="4", GUNICORN_BIND="0.0.0.0:9000", GUNICORN_TIMEOUT="45"
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert (setting(out, "workers"), setting(out, "threads"), setting(out, "timeout")) == ("3", "4", "45")
    assert setting(out, "bind") == "['0.0.0.0:9000']" and setting(out, "worker_class") == "gthread"
    assert setting(out, "accesslog") == "None"  # off unless asked


def test_gunicorn_defaults_to_the_loopback_or_the_platform_s_port():
    assert setting(gunicorn_config().stdout, "bind") == "['127.0.0.1:8000']"
    assert setting(gunicorn_config(PORT="5000").stdout, "bind") == "['0.0.0.0:5000']"


def test_gunicorn_names_a_variable_that_is_not_a_number():
    result = gunicorn_config(GUNICORN_THREADS="three")
    assert result.returncode != 0
    assert "GUNICORN_THREADS must be a whole number (got 'three')" in result.stderr
