"""The health checks: liveness (/health/live/), readiness (/health/ready/ and /health/: the
database, the broker, a canary a real worker consumed, follow-ups taken in time) and
`manage.py healthcheck`."""

import os
import subprocess
import sys
import uuid
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from core.models import Canary
from core.services import canary_record
from core.tasks import canary_task
from followups.models import FollowUp
from tests.conftest import signed_in
from tests.factories import CaseFactory
from tests.followups.workers import ROOT, Processes, database_url, forget_queue, free_port

CANARY_STALE_AFTER = timedelta(seconds=180)  # AMENDS_HEALTH_CANARY_STALE_SECONDS's default

TOKEN = "a-monitor-s-token-0123456789"


@pytest.fixture(autouse=True)
def health_token(settings):
    settings.AMENDS_HEALTH_TOKEN = TOKEN


def health(client=None, token=TOKEN, path="/health/"):
    """/health/ as the monitor reads it: with the token, so with the details."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    response = (client or Client()).get(path, headers=headers)
    return response.status_code, response.json()


def test_liveness_answers_without_the_database():
    # No `db` fixture: pytest-django refuses any query, so a query would be a 500 here.
    response = Client().get("/health/live/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})
    assert "no-cache" in response["Cache-Control"]


def test_liveness_stays_up_while_readiness_fails(db):
    assert health(path="/health/live/") == (200, {"status": "ok"})
    assert health(path="/health/ready/")[0] == 503  # no canary ever consumed


@pytest.mark.parametrize("path", ["/health/", "/health/ready/", "/health/live/"])
def test_the_health_checks_are_not_redirected_to_https(db, settings, path):
    settings.SECURE_SSL_REDIRECT = True
    canary_record(token="beat-1")
    assert Client().get(path).status_code == 200
    assert Client().get("/accounts/login/").status_code == 301


def test_readiness_and_health_are_the_same_check(db):
    canary_record(token="beat-1", worker="celery@box")
    ready, old = health(path="/health/ready/"), health(path="/health/")
    assert ready[0] == old[0] == 200
    assert ready[1]["canary"]["worker"] == old[1]["canary"]["worker"] == "celery@box"
    assert ready[1]["broker"] == "ok"  # the tests' filesystem broker


@pytest.fixture
def broker_at(monkeypatch):
    """Point the Celery app at another broker for one test."""

    def point(url: str) -> None:
        # Celery reads CELERY_BROKER_URL from the environment before its own settings.
        monkeypatch.setenv("CELERY_BROKER_URL", url)
        monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)
        monkeypatch.setitem(canary_task.app.conf, "broker_transport_options", {})

    return point


def test_readiness_fails_at_once_when_the_broker_does_not_answer(db, broker_at):
    canary_record(token="beat-1", worker="celery@box")
    port = free_port()  # nothing listens there
    broker_at(f"redis://127.0.0.1:{port}/0")
    started = timezone.now()
    status, report = health(path="/health/ready/")
    assert (timezone.now() - started) < timedelta(seconds=5)
    assert status == 503 and report["broker"] == "down"
    assert report["problems"] == [report["problems"][0]] and f"127.0.0.1:{port}" in report["problems"][0]
    assert health(path="/health/ready/", token=None) == (503, {"status": "failing"})


@pytest.mark.services
def test_readiness_reaches_a_real_redis_broker(db, redis_url, broker_at):
    canary_record(token="beat-1", worker="celery@box")
    broker_at(redis_url)
    status, report = health(path="/health/ready/")
    assert (status, report["broker"], report["problems"]) == (200, "ok", [])


def late_followup(case, *, due_ago: timedelta, **fields) -> FollowUp:
    return FollowUp.objects.create(
        case=case, kind="customer_message", channel="email", subject="Sorry", due_at=timezone.now() - due_ago, **fields
    )


def test_readiness_fails_when_a_due_follow_up_waits_too_long_for_a_worker(soho, frontline, settings):
    settings.AMENDS_HEALTH_FOLLOWUP_LATE_SECONDS = 600
    canary_record(token="beat-1")
    late_followup(CaseFactory(location=soho, created_by=frontline), due_ago=timedelta(minutes=11))
    status, report = health(path="/health/ready/")
    assert status == 503
    assert 660 <= report["followups"]["waiting_for_a_worker_seconds"] < 670
    (problem,) = report["problems"]
    assert problem.startswith("A due follow-up has waited 66") and "for a worker to take it" in problem


def test_follow_ups_in_flight_or_in_backoff_are_not_late(soho, frontline, settings):
    settings.AMENDS_HEALTH_FOLLOWUP_LATE_SECONDS = 600
    canary_record(token="beat-1")
    case = CaseFactory(location=soho, created_by=frontline)
    now = timezone.now()
    # Claimed and on the queue (a busy mail run), or held back after a failed try: not late.
    late_followup(case, due_ago=timedelta(hours=1), claimed_until=now + timedelta(minutes=4), attempts=1)
    # Its last lease ran out a minute ago: it has waited a minute, not an hour.
    late_followup(case, due_ago=timedelta(hours=2), claimed_until=now - timedelta(minutes=1), attempts=2)
    status, report = health(path="/health/ready/")
    assert status == 200, report["problems"]
    assert 60 <= report["followups"]["waiting_for_a_worker_seconds"] < 70
    assert report["followups"]["oldest_due_unsent_age_seconds"] >= 2 * 60 * 60


@pytest.mark.parametrize("last_canary_ago, status, word", [(timedelta(seconds=5), 200, "ok"), (None, 503, "failing")])
def test_anyone_is_told_only_up_or_down(db, last_canary_ago, status, word):
    if last_canary_ago is not None:
        canary_record(token="beat-1", worker="celery@box", now=timezone.now() - last_canary_ago)
    assert health(token=None) == (status, {"status": word})


@pytest.mark.parametrize("sent", ["wrong", TOKEN[:-1], TOKEN + "x", "", f"{TOKEN} {TOKEN}"])
def test_a_wrong_token_gets_no_details(db, sent):
    canary_record(token="beat-1", worker="celery@box")
    assert health(token=sent) == (200, {"status": "ok"})


def test_no_token_set_opens_nothing_even_to_an_empty_one(db, settings):
    settings.AMENDS_HEALTH_TOKEN = ""
    canary_record(token="beat-1", worker="celery@box")
    assert health(token="") == (200, {"status": "ok"})


def test_a_signed_in_owner_reads_the_details_and_a_manager_does_not(owner, manager):
    canary_record(token="beat-1", worker="celery@box")
    status, report = health(signed_in(owner), token=None)
    assert status == 200 and report["canary"]["worker"] == "celery@box" and "followups" in report
    assert health(signed_in(manager), token=None) == (200, {"status": "ok"})


def test_the_health_page_is_ok_when_a_worker_consumed_a_canary_lately(db):
    canary_record(token="beat-1", worker="celery@box", now=timezone.now() - timedelta(seconds=50))
    status, report = health()
    assert status == 200
    assert report["status"] == "ok" and report["problems"] == [] and report["database"] == "ok"
    assert report["canary"]["worker"] == "celery@box" and 49 <= report["canary"]["age_seconds"] <= 60


@pytest.mark.parametrize("last_canary_ago", [None, CANARY_STALE_AFTER + timedelta(seconds=1)])
def test_the_health_page_fails_when_no_worker_consumed_a_canary_lately(db, last_canary_ago):
    if last_canary_ago is not None:
        canary_record(token="beat-1", worker="celery@box", now=timezone.now() - last_canary_ago)
    status, report = health()
    assert status == 503
    assert report["status"] == "failing"
    assert "canary" in report["problems"][0] and "worker" in report["problems"][0]


def test_the_health_page_needs_no_login_and_reports_what_waits_to_be_sent(soho, frontline):
    canary_record(token="beat-1")
    case = CaseFactory(location=soho, created_by=frontline)
    now = timezone.now()
    for due_at, state in [
        (now - timedelta(minutes=7), "scheduled"),  # waiting seven minutes: the oldest
        (now - timedelta(minutes=1), "scheduled"),
        (now + timedelta(hours=1), "scheduled"),  # not due
        (now - timedelta(days=2), "failed"),
        (now - timedelta(days=3), "sent"),
    ]:
        FollowUp.objects.create(
            case=case, kind="staff_reminder", channel="in_app", subject="Call back", due_at=due_at, state=state
        )
    status, report = health()
    assert status == 200
    assert report["followups"]["failed"] == 1
    assert 7 * 60 <= report["followups"]["oldest_due_unsent_age_seconds"] < 8 * 60


def test_a_redelivered_canary_is_recorded_once_and_old_ones_are_dropped(db):
    now = timezone.now()
    canary_record(token="old", now=now - timedelta(days=2))
    canary_task.apply(kwargs={"token": "t1"})
    canary_task.apply(kwargs={"token": "t1"})
    assert list(Canary.objects.values_list("token", flat=True)) == ["t1"]


def test_beat_sends_the_canary_every_minute(db):
    entry = PeriodicTask.objects.get(task="core.canary")
    assert (entry.enabled, entry.interval.every, entry.interval.period) == (True, 1, "minutes")


def test_the_command_refuses_to_prove_anything_with_eager_tasks(db):
    with pytest.raises(CommandError, match="EAGER"):
        call_command("healthcheck", "--timeout", "1")


def healthcheck(broker: str, queue: str, timeout: int) -> subprocess.CompletedProcess:
    """`manage.py healthcheck` as an operator runs it: a process of its own, on the test database."""
    return subprocess.run(
        [sys.executable, "manage.py", "healthcheck", "--timeout", str(timeout), "--queue", queue],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.settings",
            "DATABASE_URL": database_url(),
            "CELERY_BROKER_URL": broker,
            "CELERY_TASK_ALWAYS_EAGER": "0",
        },
        capture_output=True,
        text=True,
        timeout=timeout + 60,
    )


@pytest.fixture
def queue(redis_url):
    name = f"amends-test-health-{uuid.uuid4().hex[:8]}"
    yield name
    forget_queue(redis_url, name)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_command_passes_when_a_worker_consumes_through_redis(postgres, redis_url, queue, tmp_path):
    with Processes(tmp_path) as processes:
        worker = processes.worker("worker", queue=queue, broker=redis_url)
        worker.wait_ready()
        result = healthcheck(redis_url, queue, timeout=30)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.startswith("OK: worker worker-") and "consumed the canary in" in result.stdout
    (canary,) = Canary.objects.all()
    assert canary.token.startswith("healthcheck-") and canary.worker.startswith("worker-")
    # What the page then says.
    status, report = health()
    assert status == 200 and report["canary"]["worker"] == canary.worker


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_the_command_fails_clearly_when_no_worker_consumes(postgres, redis_url, queue):
    result = healthcheck(redis_url, queue, timeout=2)
    assert result.returncode == 1
    assert "No worker consumed the canary within 2 s: is a worker running" in result.stderr
    assert queue in result.stderr
    assert not Canary.objects.exists()
