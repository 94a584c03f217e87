"""Sentry is set up only with a DSN; with one, a failing page's report goes to the transport (a
capturing one here: no network), with its release, its request id and no personal data."""

import json
import os
import subprocess
import sys

import sentry_sdk

from config.sentry import sentry_init
from tests.followups.workers import ROOT

# Run in a process of its own: sentry-sdk's integrations patch Django and Celery for good.
REPORT = """
import json
import django
from django.test import Client, override_settings
from sentry_sdk.transport import Transport

django.setup()
from config.sentry import sentry_init

sent = []

class Capture(Transport):
    def capture_envelope(self, envelope):
        sent.extend(item.payload.json for item in envelope.items if item.type == "event")

assert sentry_init(
    dsn="https://public@sentry.example.invalid/1", release="amends@1234abc", environment="test",
    traces_sample_rate=0.0, transport=Capture,
)
with override_settings(ROOT_URLCONF="tests.core.sentry_urls"):
    response = Client(raise_request_exception=False).get(
        "/fail/", headers={"X-Request-ID": "req-from-the-balancer-77"},
        HTTP_COOKIE="remember=secret-cookie-value", REMOTE_ADDR="203.0.113.9",
    )
import sentry_sdk
sentry_sdk.flush()
print(json.dumps({"status": response.status_code, "events": sent}))
"""


def test_without_a_dsn_nothing_is_set_up():
    assert "SENTRY_DSN" not in os.environ  # the settings of this run were read without one
    assert sentry_init(dsn="") is False
    assert not sentry_sdk.get_client().is_active()


def test_with_a_dsn_a_failing_page_is_reported_without_personal_data():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"}
    env.pop("SENTRY_DSN", None)
    done = subprocess.run(
        [sys.executable, "-c", REPORT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["status"] == 500
    [event] = result["events"]
    assert event["release"] == "amends@1234abc" and event["environment"] == "test"
    assert event["tags"]["request_id"] == "req-from-the-balancer-77"
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert "user" not in event or "ip_address" not in event["user"]
    text = json.dumps(event)
    assert "secret-cookie-value" not in text and "203.0.113.9" not in text
