"""A billing error is logged with what was overcharged; the case offers it back, and the figure can be changed."""

import re
from decimal import Decimal

import pytest

from accounts.roles import Role
from cases.models import Case
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_overcharge_is_logged_offered_back_and_changed(page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    CustomerFactory(name="Alice Moreno", email="alice@example.com", home_location=soho, yearly_value=Decimal(600))

    log_in(page, "fran")
    page.goto("/cases/new/")
    page.get_by_label("Find an existing customer").fill("alice")
    page.get_by_role("option", name=re.compile("Alice Moreno")).click()
    page.get_by_label("Category").select_option(label="Billing error")
    page.get_by_label("What happened").fill("Charged twice for the same order on the card machine.")
    page.get_by_label("Amount overcharged").fill("89.50")
    page.get_by_role("button", name="Log case").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    page.get_by_text("Correction of the overcharge").first.wait_for()
    page.get_by_text("Overcharged £89.50, to be given back").wait_for()
    screenshot(page, "overcharge-case")

    page.get_by_text("Change the amount overcharged").click()
    page.get_by_label("Amount overcharged").fill("80")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Recorded: £80.00 overcharged").wait_for()
    assert Case.objects.get().overcharge == Decimal("80.00")
