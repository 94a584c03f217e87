"""Tokens: random, stored hashed, shown once, revocable, expiring, noted when used (at most once a
minute), and an integration's own user that has the token's role and cannot sign in."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role, managers_of, role_of, staff_at
from api import tokens
from api.models import ApiToken
from api.services import (
    NOT_AN_OWNER,
    integration_token_create,
    personal_token_create,
    token_revoke,
    token_touch,
)
from cases.events import Kind
from cases.models import Event
from core.exceptions import ApplicationError
from corrective.selectors import possible_owners
from tests.accounts.test_access import csrf_client, post_login
from tests.api.conftest import token_client
from tests.conftest import signed_in
from tests.factories import PASSWORD, CaseFactory, staff


def test_a_token_is_random_and_recognisable():
    first, second = tokens.new_token(), tokens.new_token()
    assert first.token != second.token
    assert first.token.startswith(f"amd_{first.prefix}_")
    assert len(first.token) > 40
    assert tokens.prefix_of(first.token) == first.prefix


@pytest.mark.parametrize(
    "text", ["", "amd_", "amd_short_x", "Bearer amd_abcdefgh_" + "x" * 43, "amd_abcdefgh_ünïcödé" * 3]
)
def test_a_malformed_token_has_no_prefix(text):
    assert tokens.prefix_of(text) is None


def test_only_the_sha256_of_the_token_is_stored(frontline):
    made = personal_token_create(actor=frontline, name="Script")
    row = ApiToken.objects.get(pk=made.token.pk)
    assert row.digest == hashlib.sha256(made.secret.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.values().get(pk=row.pk).values()]
    assert made.secret not in stored
    assert tokens.matches(made.secret, row.digest)
    assert not tokens.matches(made.secret + "x", row.digest)


def test_a_personal_token_acts_as_its_owner_with_their_rights(frontline, soho, camden):
    mine, theirs = CaseFactory(location=soho), CaseFactory(location=camden)
    client = token_client(personal_token_create(actor=frontline, name="Script").secret)
    ids = [row["id"] for row in client.get("/api/v1/cases/").json()["results"]]
    assert ids == [mine.pk]
    assert theirs.pk not in ids


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer amd_abcdefgh_wrongwrongwrongwrongwrong", "Bearer a b", "Token abc", "Bearer amd_ümlaut"],
)
def test_no_valid_token_is_a_401_problem_saying_how(db, header):
    client = APIClient()
    if header is not None:
        client.credentials(HTTP_AUTHORIZATION=header.encode("utf-8").decode("latin-1"))
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["type"] == "urn:amends:problem:unauthenticated"


def test_the_session_does_not_open_the_api(frontline):
    """A signed-in browser's cookie is no key to the API (so no page can be made to call it)."""
    assert signed_in(frontline).get("/api/v1/cases/").status_code == 401


def test_a_revoked_token_stops_working_at_once(frontline):
    made = personal_token_create(actor=frontline, name="Script")
    client = token_client(made.secret)
    assert client.get("/api/v1/cases/").status_code == 200
    token_revoke(token=made.token, actor=frontline)
    assert client.get("/api/v1/cases/").status_code == 401


def test_an_expired_token_stops_working(frontline):
    made = personal_token_create(actor=frontline, name="Script", expires_at=timezone.now() + timedelta(days=1))
    client = token_client(made.secret)
    assert client.get("/api/v1/cases/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(days=1, seconds=1)):
        assert client.get("/api/v1/cases/").status_code == 401


def test_a_deactivated_persons_token_stops_working(frontline):
    client = token_client(personal_token_create(actor=frontline, name="Script").secret)
    frontline.is_active = False
    frontline.save()
    assert client.get("/api/v1/cases/").status_code == 401


def test_last_used_is_written_at_most_once_a_minute(frontline, django_assert_num_queries):
    made = personal_token_create(actor=frontline, name="Script")
    client = token_client(made.secret)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/cases/")
        made.token.refresh_from_db()
        assert made.token.last_used_at == start
        with time_machine.travel(start + timedelta(seconds=59), tick=False):
            client.get("/api/v1/cases/")
            made.token.refresh_from_db()
            assert made.token.last_used_at == start
    later = start + timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        client.get("/api/v1/cases/")
    made.token.refresh_from_db()
    assert made.token.last_used_at == later


def test_touch_writes_nothing_within_the_minute(frontline, django_assert_num_queries):
    made = personal_token_create(actor=frontline, name="Script")
    now = timezone.now()
    assert token_touch(token=made.token, now=now)
    with django_assert_num_queries(0):
        assert not token_touch(token=made.token, now=now + timedelta(seconds=30))
    stale = ApiToken.objects.get(pk=made.token.pk)
    stale.last_used_at = None  # another process's copy, read before the write
    assert not token_touch(token=stale, now=now + timedelta(seconds=30))  # the UPDATE's guard


def test_an_integration_acts_as_its_own_user_with_the_role_and_location(owner, soho):
    made = integration_token_create(actor=owner, location=soho, role=Role.MANAGER, name="Helpdesk")
    user = made.token.user
    assert user.is_integration and str(user) == "Helpdesk"
    assert role_of(user) is Role.MANAGER
    assert list(user.locations.all()) == [soho]
    assert not user.has_usable_password()
    assert user not in staff_at([soho.pk])  # nobody gives a case to a till
    assert user not in managers_of(soho.pk)  # nor an escalation
    assert user not in possible_owners(owner)  # nor a corrective action


@pytest.mark.parametrize("password", ["", PASSWORD, "!"])
def test_an_integrations_user_cannot_sign_in(owner, soho, password):
    user = integration_token_create(actor=owner, location=soho, role=Role.FRONTLINE, name="Till").token.user
    client = csrf_client()
    response = post_login(client, user.username, password)
    assert response.status_code == 200  # the sign-in page again, with its error
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_only_an_owner_makes_integration_tokens(soho, role):
    with pytest.raises(ApplicationError, match=str(NOT_AN_OWNER)):
        integration_token_create(actor=staff(role, soho), location=soho, role=Role.FRONTLINE, name="Till")


def test_revoking_an_integration_deactivates_its_user(owner, soho):
    made = integration_token_create(actor=owner, location=soho, role=Role.FRONTLINE, name="Till")
    token_revoke(token=made.token, actor=owner)
    made.token.user.refresh_from_db()
    assert not made.token.user.is_active


def test_making_and_revoking_are_on_the_audit_trail(owner, soho):
    made = integration_token_create(actor=owner, location=soho, role=Role.FRONTLINE, name="Till")
    token_revoke(token=made.token, actor=owner)
    token_revoke(token=made.token, actor=owner)  # twice: nothing more
    entries = Event.objects.filter(subject=f"api_token:{made.token.pk}").order_by("id")
    assert [e.kind for e in entries] == [Kind.API_TOKEN_CREATED, Kind.API_TOKEN_REVOKED]
    assert all(e.actor == owner and e.location_id == soho.pk for e in entries)
    assert entries[0].payload["prefix"] == made.token.prefix
    assert made.secret not in str(entries[0].payload) + entries[0].note


def test_the_page_shows_a_new_token_once(frontline):
    client = signed_in(frontline)
    response = client.post(reverse("tokens:personal"), {"name": "My script"})
    assert response.status_code == 201
    made = response.context["made"]
    assert made.secret in response.content.decode()
    page = client.get(reverse("tokens:personal")).content.decode()
    assert made.token.prefix in page
    assert made.secret not in page


def test_someone_cannot_revoke_anothers_token(frontline, soho):
    other = staff(Role.FRONTLINE, soho)
    made = personal_token_create(actor=other, name="Theirs")
    response = signed_in(frontline).post(reverse("tokens:revoke", kwargs={"pk": made.token.pk}))
    assert response.status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None


def test_an_owner_makes_and_revokes_an_integration_token_on_its_page(owner, soho):
    client = signed_in(owner)
    data = {"name": "Till", "location": soho.pk, "role": "Frontline"}
    response = client.post(reverse("tokens:integrations"), data)
    assert response.status_code == 201
    made = response.context["made"]
    page = client.get(reverse("tokens:integrations")).content.decode()
    assert made.token.prefix in page and made.secret not in page and str(owner) in page
    assert client.post(reverse("tokens:revoke", kwargs={"pk": made.token.pk})).status_code == 302
    assert token_client(made.secret).get("/api/v1/cases/").status_code == 401


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_the_integrations_page_is_for_owners(soho, role):
    assert signed_in(staff(role, soho)).get(reverse("tokens:integrations")).status_code == 403


def test_someone_without_a_role_has_no_token_page(db):
    assert signed_in(staff(None)).get(reverse("tokens:personal")).status_code == 403
