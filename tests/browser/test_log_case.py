"""A frontline member of staff logs in and logs a case, in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from cases.models import Case
from tests.browser.conftest import screenshot
from tests.factories import PASSWORD, CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, username):
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # Frontline staff land on their cases, managers and owners on the dashboard.
    page.wait_for_url(re.compile(r"/(cases/\?|dashboard/)"))


def test_frontline_logs_a_case_for_an_existing_customer(page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.FRONTLINE, soho, username="fran")
    CustomerFactory(name="Alice Moreno", email="alice@example.com", home_location=soho)

    log_in(page, "fran")
    page.get_by_role("link", name="Log a case").first.click()
    page.get_by_label("Find an existing customer").fill("alice")
    page.get_by_role("option", name=re.compile("Alice Moreno")).click()
    page.get_by_label("Category").select_option(label="Delay or long wait")
    page.get_by_label("What happened").fill("Waited 50 minutes for a booked table; the main course came cold.")
    page.get_by_label("Order or transaction value").fill("64")
    page.get_by_label("The mistake spoiled the whole experience").check()
    # A locator's wait, not wait_for_function: that evaluates a string, which the page's policy refuses.
    expect(page.locator("#severity-suggested")).to_contain_text("Moderate")
    screenshot(page, "log-case-form")
    page.get_by_role("button", name="Log case").click()

    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert page.get_by_text(f"Case {case.reference} logged.").is_visible()
    assert case.customer.name == "Alice Moreno"
    assert case.severity == "moderate"
    screenshot(page, "log-case-detail")


def test_frontline_logs_a_case_for_a_new_customer(page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.FRONTLINE, soho, username="fran")

    log_in(page, "fran")
    page.goto("/cases/new/")
    page.get_by_label("Name").fill("Ben Carter")
    page.get_by_label("Email").fill("ben@example.com")
    page.get_by_label("Category").select_option(label="Billing error")
    page.get_by_label("What happened").fill("Charged twice on the card machine.")
    page.get_by_label("Order or transaction value").fill("-3")
    page.get_by_role("button", name="Log case").click()
    # Refused next to the field, with everything typed still there.
    assert page.get_by_text("An amount cannot be negative.").is_visible()
    assert page.get_by_label("Name").input_value() == "Ben Carter"
    page.get_by_label("Order or transaction value").fill("89.50")
    page.get_by_role("button", name="Log case").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert Case.objects.get().customer.email == "ben@example.com"
