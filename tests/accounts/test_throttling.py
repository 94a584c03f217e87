"""Sign-in throttled per address across user names as well as per user name; password reset
limited per address and per email, with one message whether or not the email has an account."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.roles import Role
from accounts.views import PASSWORD_RESET_LIMITED
from tests.accounts.test_access import post_login
from tests.factories import PASSWORD, staff

ADDRESS_LIMIT = 20


@pytest.fixture(autouse=True)
def limits(settings):
    settings.AMENDS_SIGN_IN_FAILURES_PER_ADDRESS = f"{ADDRESS_LIMIT}/15m"
    settings.AMENDS_PASSWORD_RESETS_PER_ADDRESS = "5/h"
    settings.AMENDS_PASSWORD_RESETS_PER_EMAIL = "3/h"


def from_address(address: str) -> Client:
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def test_many_user_names_from_one_address_are_paused(frontline):
    prober = from_address("203.0.113.9")
    for number in range(ADDRESS_LIMIT):  # one try a name: django-axes alone never pauses this
        assert post_login(prober, f"guess{number}", "password1").status_code == 200
    response = post_login(prober, "fran", PASSWORD)  # even a right name and password, for now
    assert response.status_code == 429 and "Retry-After" in response
    assert "from this address, whatever the user name" in response.content.decode()
    # Someone elsewhere is not affected.
    assert post_login(from_address("198.51.100.7"), "fran", PASSWORD).status_code == 302


def test_a_shop_s_staff_mistyping_now_and_then_are_not_paused(soho):
    shop = from_address("192.0.2.40")
    names = [staff(Role.FRONTLINE, soho, username=f"staff{number}").username for number in range(8)]
    for name in names:  # eight people, one typo each, behind the shop's one address
        assert post_login(shop, name, "typo").status_code == 200
    assert post_login(shop, names[0], PASSWORD).status_code == 302


def reset(client: Client, email: str):
    client.get(reverse("password_reset"))
    return client.post(
        reverse("password_reset"), {"email": email, "csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )


def test_password_reset_is_limited_per_address(frontline):
    prober = from_address("203.0.113.9")
    for number in range(5):
        assert reset(prober, f"someone{number}@example.com").status_code == 302
    response = reset(prober, frontline.email)
    assert response.status_code == 429 and str(PASSWORD_RESET_LIMITED) in response.content.decode()
    assert mail.outbox == []  # nobody existed among the five; the sixth, who does, got nothing
    assert reset(from_address("198.51.100.7"), frontline.email).status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_is_limited_per_email_from_any_address(frontline):
    for number in range(3):
        assert reset(from_address(f"198.51.100.{number}"), frontline.email.upper()).status_code == 302
    response = reset(from_address("198.51.100.99"), frontline.email)
    assert response.status_code == 429 and str(PASSWORD_RESET_LIMITED) in response.content.decode()
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("has_account", [True, False])
def test_the_limit_says_the_same_whether_or_not_the_email_has_an_account(frontline, has_account):
    email = frontline.email if has_account else "nobody@example.com"
    responses = [reset(from_address(f"198.51.100.{number}"), email) for number in range(4)]
    assert [response.status_code for response in responses] == [302, 302, 302, 429]
    assert all(response["Location"] == reverse("password_reset_done") for response in responses[:3])
    assert str(PASSWORD_RESET_LIMITED) in responses[3].content.decode()
