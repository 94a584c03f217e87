"""A customer's reply comes in by the inbound endpoint and a manager reads it on the case (the
quoted history behind "Show quoted text", the flag for an address not on file), then finds what
was ignored on the Inbox page. In a real Chromium, at a desktop's width and a phone's."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from cases.reply_tokens import reply_token
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, staff
from tests.inbox.mail import load
from tests.inbox.test_views import post, signed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings):
    settings.AMENDS_INBOUND_SECRET = "key-test-signing"
    settings.AMENDS_REPLY_DOMAIN = "replies.example.com"
    settings.DEFAULT_FROM_EMAIL = "Amends <amends@example.com>"
    soho = LocationFactory(name="Soho", code="soho", inbound_email="soho-complaints@example.com")
    manager = staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    customer = CustomerFactory(home_location=soho, name="Alice Moreno", email="alice@example.com")
    case = CaseFactory(location=soho, customer=customer, created_by=manager, assignee=manager, state="in_recovery")
    assert post(signed(load("gmail_reply", TOKEN=reply_token(case.pk)))).status_code == 200
    assert post(signed(load("outlook_reply", TOKEN=reply_token(case.pk)))).status_code == 200
    assert post(signed(load("mailing_list"))).status_code == 200
    return case


def test_a_manager_reads_the_customers_reply_and_the_inbox(world, page, phone):
    case = world
    log_in(page, "maya")
    page.goto(case.get_absolute_url() + "#timeline")
    reply = page.locator(".customer-reply").first
    assert page.get_by_text("Could you also send the receipt?").is_visible()
    assert not page.get_by_text("We are sorry about the kettle.").first.is_visible()
    page.get_by_text("Show quoted text").first.click()
    assert page.get_by_text("We are sorry about the kettle.").first.is_visible()
    assert page.get_by_text("From an address not on file").first.is_visible()
    assert reply.is_visible()
    screenshot(page, "inbound-reply-on-case")

    page.get_by_role("button", name="Maya").click()
    page.get_by_role("link", name="Inbox (email that came in)").click()
    page.wait_for_url("**/inbox/")
    page.get_by_text("Ignored: an automatic reply").wait_for()
    assert page.get_by_role("heading", name="Inbox").is_visible()
    assert page.get_by_text("Put on its case").first.is_visible()
    screenshot(page, "inbox-desktop")

    log_in(phone, "maya")
    phone.goto(reverse("inbox:list"))
    phone.get_by_text("This week's deals").wait_for()
    screenshot(phone, "inbox-phone")
    phone.goto(case.get_absolute_url() + "#timeline")
    phone.get_by_text("Show quoted text").first.click()
    screenshot(phone, "inbound-reply-on-case-phone")
