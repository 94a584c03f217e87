"""The location × role matrix through the API, as tests/accounts/test_access.py holds it for the
pages: staff reach their own locations, owners every one, someone with no role nothing; a case or
customer at another location is a 404, never a 403 that confirms it exists."""

import pytest

from accounts.roles import Role
from tests.api.conftest import as_user, case_body, integration
from tests.factories import CaseFactory, staff

# (method, path, body, status when allowed)
ENDPOINTS = [
    ("get", "/api/v1/cases/{case}/", None, 200),
    ("post", "/api/v1/cases/{case}/notes/", {"note": "Rang the customer."}, 201),
    ("post", "/api/v1/cases/{case}/assignment/", {"assignee": None}, 200),
    ("post", "/api/v1/cases/{case}/transitions/", {"to_state": "in_recovery"}, 200),
    ("get", "/api/v1/customers/{customer}/", None, 200),
    ("patch", "/api/v1/customers/{customer}/", {"notes": "Prefers mornings."}, 200),
]


def client_of(role, location):
    """A personal token of someone of `role` at `location`; None: someone whose role was taken
    away after they made it (a token cannot be made without one)."""
    user = staff(role or Role.FRONTLINE, location)
    client = as_user(user)
    if role is None:
        user.groups.clear()
    return client


def call(client, method, path, body, case):
    url = path.format(case=case.pk, customer=case.customer.pk)
    return getattr(client, method)(url, body, format="json") if body is not None else client.get(url)


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER, None])
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS)
def test_role_by_resource_by_location(soho, camden, role, where, method, path, body, allowed):
    case = CaseFactory(location=soho if where == "own" else camden)
    response = call(client_of(role, soho), method, path, body, case)
    if role is None:
        expected = 403
    elif where == "other" and role is not Role.OWNER:
        expected = 404
    else:
        expected = allowed
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER])
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize(("method", "path", "body", "allowed"), ENDPOINTS)
def test_an_integration_is_held_to_its_location_as_its_role_is(
    soho, camden, owner, role, where, method, path, body, allowed
):
    """An integration token at Soho: Soho's cases only, even one acting as an owner (an owner
    makes it for one location's system; accounts.roles.sees_all_locations)."""
    case = CaseFactory(location=soho if where == "own" else camden)
    response = call(integration(owner, soho, role), method, path, body, case)
    expected = 404 if where == "other" else allowed
    assert response.status_code == expected, response.content


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_the_list_shows_only_own_locations(soho, camden, role):
    mine, theirs = CaseFactory(location=soho), CaseFactory(location=camden)
    ids = {row["id"] for row in as_user(staff(role, soho)).get("/api/v1/cases/").json()["results"]}
    assert mine.pk in ids and theirs.pk not in ids


def test_an_owner_lists_every_location(soho, camden, owner):
    cases = {CaseFactory(location=soho).pk, CaseFactory(location=camden).pk}
    assert cases <= {row["id"] for row in as_user(owner).get("/api/v1/cases/").json()["results"]}


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER, None])
@pytest.mark.parametrize("where", ["own", "other"])
def test_logging_a_case_by_role_and_location(soho, camden, role, where):
    location = soho if where == "own" else camden
    response = client_of(role, soho).post("/api/v1/cases/", case_body(location=location.pk), format="json")
    if role is None:
        assert response.status_code == 403
    elif where == "other" and role is not Role.OWNER:
        assert response.status_code == 422
        assert response.json()["errors"] == {"location": ["Choose one of your locations."]}
    else:
        assert response.status_code == 201, response.content


def test_a_customer_known_only_elsewhere_is_not_found_by_email(frontline, camden):
    CaseFactory(location=camden, customer__email="hidden@example.com", customer__home_location=camden)
    found = as_user(frontline).get("/api/v1/customers/", {"email": "hidden@example.com"}).json()["results"]
    assert found == []
