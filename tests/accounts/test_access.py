"""Who can do what: roles x pages, locations, sign-in and its throttling."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from tests.conftest import signed_in
from tests.factories import PASSWORD, CaseFactory, CustomerFactory, staff


def test_the_migration_makes_the_three_roles(db):
    groups = {group.name: group for group in Group.objects.prefetch_related("permissions")}
    assert set(groups) >= {"Frontline", "Manager", "Owner"}
    assert groups["Frontline"].permissions.filter(codename="add_case").exists()
    assert not groups["Frontline"].permissions.filter(codename="change_location").exists()
    assert groups["Owner"].permissions.filter(codename="change_location").exists()


PAGES = [
    ("cases:list", {}, "?state=active"),
    ("cases:create", {}, ""),
    ("cases:detail", {"pk": "CASE"}, ""),
    ("customers:detail", {"pk": "CUSTOMER"}, ""),
    ("customers:edit", {"pk": "CUSTOMER"}, ""),
    ("customers:search", {}, "?q=al"),
]


@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_every_page_needs_sign_in(client, soho, name, kwargs, query):
    case = CaseFactory(location=soho)
    kwargs = {k: {"CASE": case.pk, "CUSTOMER": case.customer.pk}[v] for k, v in kwargs.items()}
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER, None])
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize(("name", "kwargs", "query"), PAGES)
def test_role_by_page_by_location(soho, camden, role, where, name, kwargs, query):
    """Staff see their own locations; owners see all; someone with no role sees nothing."""
    user = staff(role, soho)
    case = CaseFactory(location=soho if where == "own" else camden)
    kwargs = {k: {"CASE": case.pk, "CUSTOMER": case.customer.pk}[v] for k, v in kwargs.items()}
    response = signed_in(user).get(reverse(name, kwargs=kwargs) + query)
    if role is None:
        expected = 403
    elif kwargs and where == "other" and role is not Role.OWNER:
        expected = 404  # never a 403 that confirms it exists
    else:
        expected = 200
    assert response.status_code == expected


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_the_list_shows_only_own_locations(soho, camden, role):
    user = staff(role, soho)
    mine, theirs = CaseFactory(location=soho), CaseFactory(location=camden)
    page = signed_in(user).get(reverse("cases:list") + "?sort=newest").context["page"]
    assert mine in page.object_list
    assert theirs not in page.object_list


def test_owner_sees_every_location(soho, camden, owner):
    cases = [CaseFactory(location=soho), CaseFactory(location=camden)]
    page = signed_in(owner).get(reverse("cases:list") + "?sort=newest").context["page"]
    assert set(cases) <= set(page.object_list)


def test_search_does_not_reveal_other_locations_customers_by_fragment(frontline, camden):
    CustomerFactory(name="Hidden Person", email="hidden@example.com", home_location=camden)
    found = signed_in(frontline).get(reverse("customers:search"), {"q": "hidden"}).json()["results"]
    assert found == []


def test_an_exact_email_finds_a_customer_known_elsewhere(frontline, camden):
    known = CustomerFactory(name="Known Elsewhere", email="known@example.com", home_location=camden)
    found = signed_in(frontline).get(reverse("customers:search"), {"q": "Known@Example.com"}).json()["results"]
    assert [row["id"] for row in found] == [known.pk]


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def post_login(client: Client, username: str, password: str):
    client.get(reverse("login"))
    return client.post(
        reverse("login"),
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
        },
    )


def test_sign_in_with_csrf_checks(frontline):
    response = post_login(csrf_client(), "fran", PASSWORD)
    assert response.status_code == 302


def test_a_post_without_csrf_token_is_refused(frontline, soho):
    client = csrf_client()
    client.force_login(frontline)
    case = CaseFactory(location=soho, created_by=frontline)
    response = client.post(case.get_absolute_url(), {"action": "note", "note": "sneaky"})
    assert response.status_code == 403
    assert not case.events.exists()


def test_repeated_failed_sign_ins_are_throttled(frontline, settings):
    client = csrf_client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        post_login(client, "fran", "wrong password")
    response = post_login(client, "fran", PASSWORD)  # even the right one, for now
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content


def test_the_throttle_expires(frontline, settings):
    assert settings.AXES_COOLOFF_TIME and settings.AXES_COOLOFF_TIME > 0


def test_password_reset_sends_a_link(frontline, client):
    client.post(reverse("password_reset"), {"email": frontline.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_password_change_page(frontline_client):
    assert frontline_client.get(reverse("password_change")).status_code == 200


def test_logging_a_case_with_csrf_checks(frontline, soho):
    from cases.models import Case
    from tests.cases.test_views import form_data

    client = csrf_client()
    client.force_login(frontline)
    page = client.get(reverse("cases:create"))
    data = form_data(soho, csrfmiddlewaretoken=page.context["csrf_token"])
    assert client.post(reverse("cases:create"), data).status_code == 302
    assert Case.objects.count() == 1
