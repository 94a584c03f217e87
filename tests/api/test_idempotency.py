"""Idempotency-Key: the same key and body answer the first result; another body is a 409; a failed
create frees its key; two requests at the same moment make one object (PostgreSQL); keys are kept
a day."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from api.idempotency import KEY_REUSED
from api.models import IdempotencyKey
from api.services import idempotency_keys_sweep, personal_token_create
from cases import services
from cases.models import Case, Event
from tests.api.conftest import as_user, case_body, token_client


def test_the_same_key_and_body_answer_the_first_result(till):
    key = str(uuid.uuid4())
    first = till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    again = till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1


def test_the_order_of_the_keys_in_the_body_does_not_matter(till):
    body = case_body()
    reordered = dict(reversed(list(body.items())))
    till.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert till.post("/api/v1/cases/", reordered, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    assert Case.objects.count() == 1


def test_the_same_key_with_another_body_is_a_409(till):
    till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    response = till.post("/api/v1/cases/", case_body(description="Other"), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert response.status_code == 409
    assert response.json()["detail"] == str(KEY_REUSED)
    assert Case.objects.count() == 1


def test_the_same_key_on_another_resource_is_a_409(till, soho):
    case_id = till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1").json()["id"]
    note = till.post(f"/api/v1/cases/{case_id}/notes/", {"note": "x"}, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert note.status_code == 409


def test_keys_are_per_principal(frontline, soho, till):
    mine = as_user(frontline)
    mine.post("/api/v1/cases/", case_body(location=soho.pk), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    other = case_body(new_customer={"name": "Bo", "email": "bo@example.com"})
    assert till.post("/api/v1/cases/", other, format="json", HTTP_IDEMPOTENCY_KEY="k1").status_code == 201
    assert Case.objects.count() == 2


def test_a_refused_create_keeps_no_key(till):
    bad = till.post("/api/v1/cases/", case_body(category="nope"), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert bad.status_code == 422
    assert not IdempotencyKey.objects.exists()
    fixed = till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert fixed.status_code == 201


def test_a_note_sent_twice_with_its_key_is_written_once(till):
    case_id = till.post("/api/v1/cases/", case_body(), format="json").json()["id"]
    for _ in range(2):
        response = till.post(f"/api/v1/cases/{case_id}/notes/", {"note": "Called."}, format="json",
                             HTTP_IDEMPOTENCY_KEY="note-1")  # fmt: skip
        assert response.status_code == 201
    assert Event.objects.filter(case_id=case_id, kind="case.note_added").count() == 1


@pytest.mark.parametrize("key", ["", "x" * 256, "ключ", "tab\there"])
def test_a_strange_key_is_a_422(till, key):
    response = till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Case.objects.exists()


def test_keys_are_forgotten_after_a_day(till):
    till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    now = timezone.now()
    assert idempotency_keys_sweep(now=now + timedelta(hours=23)) == 0
    assert idempotency_keys_sweep(now=now + timedelta(hours=25)) == 1


def test_the_sweep_command(till):
    till.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY="k1")
    IdempotencyKey.objects.update(created_at=timezone.now() - timedelta(days=2))
    call_command("api_idempotency_sweep")
    assert not IdempotencyKey.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_with_one_key_make_one_case(postgres, frontline, soho, monkeypatch):
    """Both requests insert the key in their own transaction: the second waits on the first's
    insert and, once the first commits, replays its answer. One case, one answer."""
    secret = personal_token_create(actor=frontline, name="Till").secret
    slow_open = services.case_open

    def case_open(**kwargs):
        time.sleep(0.5)  # hold the first transaction open while the second arrives
        return slow_open(**kwargs)

    monkeypatch.setattr(services, "case_open", case_open)
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def post():
        try:
            barrier.wait(timeout=10)
            client = token_client(secret)
            responses.append(client.post("/api/v1/cases/", case_body(), format="json", HTTP_IDEMPOTENCY_KEY="same"))
        except Exception as error:  # noqa: BLE001 - asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(r.status_code for r in responses) == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert sorted(r.has_header("Idempotent-Replayed") for r in responses) == [False, True]
    assert Case.objects.count() == 1
