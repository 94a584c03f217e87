"""Frontline asks for a remedy above their limit; a manager approves it in another browser; frontline sees it."""

import re
from decimal import Decimal

import pytest

from accounts.roles import Role
from recovery.models import Proposal
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_remedy_above_the_limit_is_approved_by_a_manager(new_page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    staff(Role.MANAGER, soho, username="maya", first_name="Maya", last_name="Okafor")
    CustomerFactory(name="Alice Moreno", email="alice@example.com", home_location=soho, yearly_value=Decimal(600))

    fran = new_page()
    log_in(fran, "fran")
    fran.goto("/cases/new/")
    fran.get_by_label("Find an existing customer").fill("alice")
    fran.get_by_role("option", name=re.compile("Alice Moreno")).click()
    fran.get_by_label("Category").select_option(label="Delay or long wait")
    fran.get_by_label("What happened").fill("Waited fifty minutes for a booked table; the main course came cold.")
    fran.get_by_label("What they paid for it").fill("64")
    fran.get_by_label("All of it: they did not get it or sent it back").check()
    fran.get_by_role("button", name="Log case").click()
    fran.wait_for_url(re.compile(r"/cases/\d+/$"))
    case_url = fran.url

    # The suggestion is 71, above the frontline limit of 50.
    fran.get_by_role("button", name="Ask for approval").first.click()
    fran.get_by_text("Sent for approval by a manager").wait_for()
    assert Proposal.objects.get().state == "pending"

    maya = new_page()
    log_in(maya, "maya")
    maya.get_by_role("link", name=re.compile(r"Approvals\s*1")).click()
    maya.get_by_role("link", name=re.compile(r"SR-\d+")).click()
    screenshot(maya, "approval-proposal")
    maya.get_by_role("button", name="Approve").click()
    maya.get_by_text("Nothing is waiting for you.").wait_for()

    fran.goto(case_url)
    fran.locator("#recovery").get_by_text("approved by Maya Okafor").wait_for()
    assert fran.get_by_label(re.compile("Notifications: 1 unread")).is_visible()
    screenshot(fran, "approval-case-after")
    assert Proposal.objects.get().state == "approved"
