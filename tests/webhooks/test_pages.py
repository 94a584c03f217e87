"""The webhooks page: owners only; registering (with SSRF refusals as form errors that keep what
was typed, and a double submit registering one), changing, rotating the secret, removing, and
replaying; each change in the event log, the secret never."""

import uuid

import pytest
from django.urls import reverse

from cases.events import Kind
from cases.models import Event
from tests.conftest import signed_in
from webhooks import addresses
from webhooks.models import Delivery, Endpoint
from webhooks.services import endpoint_create

PUBLIC = "https://hooks.example.com/amends"


@pytest.fixture(autouse=True)
def public_dns(monkeypatch):
    """hooks.example.com is public, internal.example.com resolves into the private network."""
    answers = {"hooks.example.com": ["93.184.216.34"], "internal.example.com": ["10.0.0.5"]}
    real = addresses.resolve
    monkeypatch.setattr(addresses, "resolve", lambda host, port: answers.get(host) or real(host, port))


def form(**changes):
    data = {"url": PUBLIC, "description": "Till system", "kinds": ["all"], "is_active": "on"}
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["frontline", "manager"])
@pytest.mark.parametrize("name", ["webhooks:endpoints", "webhooks:endpoint_add"])
def test_only_owners_have_the_webhooks_pages(request, role, name):
    user = request.getfixturevalue(role)
    assert signed_in(user).get(reverse(name)).status_code == 403


def test_a_manager_cannot_open_or_change_an_endpoint(owner, manager):
    endpoint = endpoint_create(actor=owner, url=PUBLIC)
    client = signed_in(manager)
    assert client.get(reverse("webhooks:endpoint", args=[endpoint.pk])).status_code == 403
    assert client.post(reverse("webhooks:endpoint", args=[endpoint.pk]), {"do": "delete"}).status_code == 403
    assert Endpoint.objects.filter(pk=endpoint.pk).exists()


def test_an_owner_registers_an_endpoint_and_sees_its_secret(owner, soho):
    client = signed_in(owner)
    response = client.post(reverse("webhooks:endpoint_add"), form(locations=[soho.pk], submission_token=uuid.uuid4()))
    endpoint = Endpoint.objects.get()
    assert response.status_code == 302 and response.url == reverse("webhooks:endpoint", args=[endpoint.pk])
    assert endpoint.secret.startswith("whsec_") and list(endpoint.locations.all()) == [soho]
    assert endpoint.secret in client.get(response.url).content.decode()
    logged = Event.objects.get(kind=Kind.WEBHOOK_ENDPOINT_CREATED)
    assert logged.actor == owner and logged.subject == f"webhook_endpoint:{endpoint.pk}"
    assert endpoint.secret not in str(logged.payload) and logged.payload["changes"]["secret"] == [None, "set"]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://127.0.0.1/hook", "private or reserved"),
        ("https://10.1.1.1/hook", "private or reserved"),
        ("https://169.254.169.254/latest", "private or reserved"),
        ("https://[::1]/hook", "private or reserved"),
        ("https://internal.example.com/hook", "private or reserved"),
        ("http://hooks.example.com/hook", "https://"),
    ],
)
def test_a_refused_address_is_a_form_error_that_keeps_what_was_typed(owner, url, says):
    response = signed_in(owner).post(reverse("webhooks:endpoint_add"), form(url=url, description="Kept words"))
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page and "Kept words" in page and 'value="Kept words"' in page
    assert not Endpoint.objects.exists()


def test_a_double_submit_registers_one_endpoint(owner):
    client, token = signed_in(owner), uuid.uuid4()
    first = client.post(reverse("webhooks:endpoint_add"), form(submission_token=token))
    second = client.post(reverse("webhooks:endpoint_add"), form(submission_token=token))
    assert Endpoint.objects.count() == 1 and first.url == second.url
    assert Event.objects.filter(kind=Kind.WEBHOOK_ENDPOINT_CREATED).count() == 1


def test_changing_an_endpoint_is_logged_with_before_and_after(owner, soho, camden):
    endpoint = endpoint_create(actor=owner, url=PUBLIC, locations=[soho])
    response = signed_in(owner).post(
        reverse("webhooks:endpoint", args=[endpoint.pk]),
        form(kinds=[Kind.CASE_LOGGED], locations=[camden.pk], do="save"),
    )
    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.kinds == [Kind.CASE_LOGGED] and list(endpoint.locations.all()) == [camden]
    changes = Event.objects.get(kind=Kind.WEBHOOK_ENDPOINT_CHANGED).payload["changes"]
    assert changes["kinds"] == [["all"], [Kind.CASE_LOGGED]] and changes["locations"] == [[soho.pk], [camden.pk]]


def test_rotating_the_secret_changes_it_and_logs_that_it_changed(owner):
    endpoint = endpoint_create(actor=owner, url=PUBLIC)
    old = endpoint.secret
    signed_in(owner).post(reverse("webhooks:endpoint", args=[endpoint.pk]), {"do": "rotate"})
    endpoint.refresh_from_db()
    assert endpoint.secret != old and endpoint.secret.startswith("whsec_")
    logged = Event.objects.get(kind=Kind.WEBHOOK_ENDPOINT_CHANGED)
    assert logged.payload["changes"] == {"secret": ["changed", "changed"]} and old not in str(logged.payload)


def test_removing_an_endpoint_is_logged(owner):
    endpoint = endpoint_create(actor=owner, url=PUBLIC)
    response = signed_in(owner).post(reverse("webhooks:endpoint", args=[endpoint.pk]), {"do": "delete"})
    assert response.status_code == 302 and not Endpoint.objects.exists()
    assert Event.objects.filter(kind=Kind.WEBHOOK_ENDPOINT_DELETED, subject=f"webhook_endpoint:{endpoint.pk}").exists()


def test_the_delivery_log_shows_failures_and_replays_them(owner, soho):
    endpoint = endpoint_create(actor=owner, url=PUBLIC)
    event = Event.objects.filter(kind=Kind.WEBHOOK_ENDPOINT_CREATED).get()
    failed = Delivery.objects.create(
        endpoint=endpoint, event=event, state="failed", attempts=25, last_status=503, last_error="HTTP 503: down"
    )
    client = signed_in(owner)
    page = client.get(reverse("webhooks:endpoint", args=[endpoint.pk]) + "?state=failed").content.decode()
    assert "HTTP 503: down" in page and "503" in page and failed.webhook_id in page
    client.post(reverse("webhooks:endpoint", args=[endpoint.pk]), {"do": "replay", "delivery": failed.pk})
    failed.refresh_from_db()
    assert (failed.state, failed.attempts) == ("pending", 0)


def test_the_list_counts_each_endpoints_deliveries(owner):
    endpoint_create(actor=owner, url=PUBLIC, description="Till system")
    page = signed_in(owner).get(reverse("webhooks:endpoints")).content.decode()
    assert PUBLIC in page and "Till system" in page


def test_with_no_endpoint_the_page_says_how_to_start_and_where_the_signature_guide_is(owner):
    page = signed_in(owner).get(reverse("webhooks:endpoints")).content.decode()
    assert "No endpoints yet" in page
    assert f'href="{reverse("webhooks:endpoint_add")}"' in page
    assert f'href="{reverse("api:docs")}"' in page and "Verifying a signature" in page
