"""/metrics: refused without its token (or loopback, where allowed), and the named series with it."""

import os
import subprocess
import sys
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from celery import Celery
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core.metrics import exposition
from desk.metrics import BacklogCollector
from followups.models import FollowUp
from tests.factories import CaseFactory, EventFactory
from tests.followups.workers import ROOT, database_url, forget_queue, free_port, wait_until
from webhooks.models import Delivery, Endpoint

TOKEN = "a-scraper-s-token-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.AMENDS_METRICS_TOKEN = TOKEN
    settings.AMENDS_METRICS_ALLOW_LOOPBACK = False


def scrape(token=TOKEN, **extra):
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return Client().get("/metrics", headers=headers, **extra)


def exposition_of(collector) -> str:
    return exposition(collector).decode()


def samples(text: str) -> dict[tuple[str, tuple], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def test_without_a_token_or_loopback_set_there_are_no_metrics(db, settings):
    settings.AMENDS_METRICS_TOKEN = ""
    settings.AMENDS_METRICS_ALLOW_LOOPBACK = False
    assert scrape(token="").status_code == 404


@pytest.mark.parametrize("sent", [None, "", "wrong", TOKEN[:-1], TOKEN + "x"])
def test_a_scrape_without_the_token_is_refused(db, metrics_token, sent):
    response = scrape(token=sent)
    assert response.status_code == 403 and b"amends_" not in response.content


def test_with_the_token_the_named_series_are_there(db, metrics_token):
    now = timezone.now()
    case = CaseFactory()
    message = {"case": case, "kind": "customer_message", "channel": "email", "subject": "Sorry"}
    FollowUp.objects.create(**message, due_at=now - timedelta(minutes=10))
    FollowUp.objects.create(**message, due_at=now - timedelta(days=1), state="failed")
    FollowUp.objects.create(**message, due_at=now + timedelta(days=1))
    endpoint = Endpoint.objects.create(url="https://hooks.example.com/amends", secret="whsec_test")
    old = EventFactory(case=case, created_at=now - timedelta(minutes=5))
    Delivery.objects.create(endpoint=endpoint, event=old, state="pending")
    Delivery.objects.create(endpoint=endpoint, event=EventFactory(case=case), state="pending")
    Delivery.objects.create(endpoint=endpoint, event=EventFactory(case=case), state="failed")
    Client().get("/favicon.ico")

    response = scrape()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    found = samples(response.content.decode())
    assert 600 <= found[("amends_followup_lag_seconds", ())] < 700
    assert found[("amends_followups_failed", ())] == 1
    assert 300 <= found[("amends_webhook_lag_seconds", ())] < 400
    assert found[("amends_webhook_deliveries_failed", ())] == 1
    assert found[("amends_metrics_source_up", (("source", "database"),))] == 1
    favicon = (("method", "GET"), ("status", "3xx"), ("view", "favicon"))
    assert found[("amends_http_request_duration_seconds_count", favicon)] >= 1


def test_nothing_waiting_is_no_lag(db, metrics_token):
    found = samples(scrape().content.decode())
    assert found[("amends_followup_lag_seconds", ())] == 0 and found[("amends_webhook_lag_seconds", ())] == 0


@pytest.mark.parametrize(
    "extra, status",
    [
        ({}, 200),  # the test client asks from 127.0.0.1
        ({"REMOTE_ADDR": "::1"}, 200),
        ({"REMOTE_ADDR": "10.0.0.7"}, 403),
        ({"HTTP_X_FORWARDED_FOR": "203.0.113.9"}, 403),  # a proxy on this machine passing a request on
        ({"HTTP_FORWARDED": "for=203.0.113.9"}, 403),
    ],
)
def test_loopback_is_let_in_only_where_the_setting_says(db, settings, extra, status):
    settings.AMENDS_METRICS_TOKEN = ""
    settings.AMENDS_METRICS_ALLOW_LOOPBACK = True
    assert scrape(token=None, **extra).status_code == status


def test_the_queue_lengths_come_from_redis(db, redis_url):
    queue = f"amends-test-{uuid.uuid4().hex[:8]}"
    app = Celery(broker=redis_url, set_as_current=False)
    app.conf.task_default_queue = queue
    try:
        for _ in range(3):
            app.send_task("core.ping", queue=queue)
        found = samples(exposition_of(BacklogCollector(app=app)))
        assert found[("amends_celery_queue_length", (("queue", queue),))] == 3
        assert found[("amends_metrics_source_up", (("source", "broker"),))] == 1
    finally:
        app.close()
        forget_queue(redis_url, queue)


def test_a_broker_that_does_not_answer_is_reported_not_fatal(db):
    app = Celery(broker="redis://127.0.0.1:1/0", set_as_current=False)
    found = samples(exposition_of(BacklogCollector(app=app)))
    assert found[("amends_metrics_source_up", (("source", "broker"),))] == 0
    assert found[("amends_metrics_source_up", (("source", "database"),))] == 1
    assert not any(name == "amends_celery_queue_length" for name, _ in found)


def test_the_counts_of_several_web_processes_are_added_up(db, metrics_token, tmp_path, monkeypatch):
    # Two processes in multiprocess mode, as gunicorn's workers run (config/gunicorn.py): each
    # answers five requests; a scrape, whichever process answers it, reads all ten.
    script = (
        "import django; django.setup(); from django.test import Client; "
        "[Client().get('/favicon.ico') for _ in range(5)]"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    processes = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env=env) for _ in range(2)]
    assert [process.wait(timeout=120) for process in processes] == [0, 0]
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    found = samples(scrape().content.decode())
    favicon = (("method", "GET"), ("status", "3xx"), ("view", "favicon"))
    assert found[("amends_http_request_duration_seconds_count", favicon)] == 10
    assert found[("amends_followup_lag_seconds", ())] == 0


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, token: str = "") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.build_opener(_NoRedirects).open(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


def test_gunicorn_s_workers_are_counted_together(postgres, tmp_path):
    # gunicorn with config/gunicorn.py and two workers: requests land on either, and every
    # scrape, whichever worker answers it, counts all of them.
    pytest.importorskip("gunicorn", reason="gunicorn is the web server's requirement (make serve)")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
        "AMENDS_METRICS_TOKEN": TOKEN,
    }
    (tmp_path / "prometheus").mkdir()
    (tmp_path / "prometheus" / "histogram_1.db").write_bytes(b"left by the last run")
    command = [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.py", "--workers", "2", "--bind"]
    server = subprocess.Popen(
        [*command, f"127.0.0.1:{port}"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(f"{base}/favicon.ico"), timeout=60, what="gunicorn to answer")
        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(lambda _: _get(f"{base}/favicon.ico")[0], range(40)))
        assert set(statuses) == {301} or set(statuses) == {302}
        favicon = (
            "amends_http_request_duration_seconds_count",
            (("method", "GET"), ("status", "3xx"), ("view", "favicon")),
        )
        counts = {samples(_get(f"{base}/metrics", TOKEN)[1])[favicon] for _ in range(8)}
        assert counts == {40 + 1}  # and the first request, which waited for gunicorn
    finally:
        server.terminate()
        server.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return _get(url)[0] in (301, 302)
    except OSError:
        return False
