"""Frontline asks for a remedy above their limit; a manager rejects it with a reason; frontline sees
who said no and why, the case is back where it was, and its next steps follow what was decided."""

import re
from decimal import Decimal

import pytest

from accounts.roles import Role
from cases.models import Case
from recovery.models import Proposal
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_rejected_remedy_shows_who_and_why_and_the_case_goes_back(new_page):
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran", last_name="Lyons")
    staff(Role.MANAGER, soho, username="maya", first_name="Maya", last_name="Okafor")
    customer = CustomerFactory(name="Alice Moreno", home_location=soho, yearly_value=Decimal(600))
    # A spoiled £64 meal: the first suggestion is £71, above Fran's limit of £50.
    case = CaseFactory(
        location=soho,
        customer=customer,
        created_by=fran,
        assignee=fran,
        category="delay",
        order_value=Decimal("64"),
        lost="all",
        severity="moderate",
        suggested_severity="moderate",
    )

    frontline = new_page()
    log_in(frontline, "fran")
    frontline.goto(case.get_absolute_url())
    frontline.get_by_role("button", name="Ask for approval").first.click()
    frontline.get_by_text("Sent for approval by a manager").wait_for()
    # Waiting for a decision: nothing can move the case by hand.
    assert frontline.get_by_role("heading", name="Next step").count() == 0

    manager = new_page()
    log_in(manager, "maya")
    manager.goto("/recovery/approvals/")
    manager.get_by_text("above Fran Lyons's limit of £50.00").wait_for()
    manager.get_by_role("link", name=case.reference).click()
    manager.get_by_label("Reason (required to reject or amend)").fill("Half of it was eaten: offer less")
    manager.get_by_role("button", name="Reject").click()
    manager.get_by_text("Nothing is waiting for you.").wait_for()

    frontline.goto(case.get_absolute_url())
    panel = frontline.locator("#recovery")
    panel.get_by_text("Rejected by Maya Okafor").first.wait_for()
    assert "“Half of it was eaten: offer less”" in panel.inner_text()
    screenshot(frontline, "rejection-case-after")
    # Back where it was: open, with no step that needs a granted remedy.
    assert Case.objects.get(pk=case.pk).state == "open"
    steps = frontline.locator("section[aria-labelledby=move-heading]")
    assert steps.get_by_role("button", name="Move to in recovery").is_visible()
    assert steps.get_by_role("button", name=re.compile("remedy delivered")).count() == 0
    # The same remedy can be asked for again, with the rejection beside it.
    card = panel.locator(".card", has_text="Already proposed and rejected by Maya Okafor")
    assert card.get_by_role("button", name="Ask again").is_visible()
    frontline.get_by_role("button", name="Ask for approval").first.click()
    frontline.get_by_text("Sent for approval by a manager").wait_for()
    assert Proposal.objects.filter(case=case, state="pending").count() == 1
