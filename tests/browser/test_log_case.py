"""A frontline member of staff logs in and logs a case, in a real Chromium."""

import re
from decimal import Decimal

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
    page.get_by_label("What they paid for it").fill("64")
    page.get_by_label("All of it: they did not get it or sent it back").check()
    # A locator's wait, not wait_for_function: that evaluates a string, which the page's policy refuses.
    expect(page.locator("#severity-suggested")).to_contain_text("Moderate")
    page.get_by_role("button", name="1 hour", exact=True).click()  # a quick choice fills in the minutes
    expect(page.get_by_label("Time it cost them")).to_have_value("60")
    page.get_by_label("It was for an occasion or a deadline").check()
    expect(page.locator("#severity-suggested")).to_contain_text("Major", timeout=20_000)  # a shared CI machine
    screenshot(page, "log-case-form")
    page.get_by_role("button", name="Log case").click()

    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert page.get_by_text(f"Case {case.reference} logged.").is_visible()
    assert case.customer.name == "Alice Moreno"
    assert (case.severity, case.lost, case.time_lost_minutes, case.occasion_mattered) == ("major", "all", 60, True)
    expect(page.get_by_text("when it mattered most to you").first).to_be_visible()
    screenshot(page, "log-case-detail")


def test_frontline_logs_a_case_for_a_new_customer(page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.FRONTLINE, soho, username="fran")

    log_in(page, "fran")
    page.goto("/cases/new/")
    page.get_by_label("Name").fill("Ben Carter")
    page.get_by_label("Email").fill("ben@example.com")
    expect(page.get_by_label("Amount overcharged")).to_be_hidden()
    page.get_by_label("Category").select_option(label="Billing error")
    # A billing error asks for the overcharge, not the price of what was bought.
    expect(page.get_by_label("What they paid for it")).to_be_hidden()
    expect(page.get_by_text("They used it despite the flaw")).to_be_hidden()
    page.get_by_label("What happened").fill("Charged twice on the card machine.")
    page.get_by_label("Amount overcharged").fill("-3")
    page.get_by_role("button", name="Log case").click()
    # Refused next to the field, with everything typed still there.
    assert page.get_by_text("An amount cannot be negative.").is_visible()
    assert page.get_by_label("Name").input_value() == "Ben Carter"
    page.get_by_label("Amount overcharged").fill("89.50")
    page.get_by_role("button", name="Log case").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get()
    assert (case.customer.email, case.overcharge, case.order_value) == ("ben@example.com", Decimal("89.50"), 0)


def test_the_case_form_fits_a_phone(new_page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.FRONTLINE, soho, username="fran")
    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "fran")
    page.goto("/cases/new/")
    page.get_by_label("Category").select_option(label="Delay or long wait")
    page.get_by_label("Part of it").check()
    page.get_by_role("button", name="Half a day").click()
    expect(page.get_by_label("Time it cost them")).to_have_value("240")
    # Nothing wider than the phone: no sideways scrolling to reach a field.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "log-case-form-phone")
