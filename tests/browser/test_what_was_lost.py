"""The facts the engine reads, on the case page and the approval page, at phone and desktop width."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from recovery.models import Proposal
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CaseFactory, LocationFactory, ProposalFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_what_the_customer_lost_shows_where_it_is_weighed(new_page, width):
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    case = CaseFactory(
        location=soho,
        created_by=fran,
        category="delay",
        description="A table for two booked for the anniversary; seated after an hour, half the order never came.",
        order_value=Decimal("120"),
        lost="part",
        time_lost_minutes=75,
        occasion_mattered=True,
        severity="major",
        suggested_severity="major",
    )
    proposal = ProposalFactory(case=case, proposed_by=fran, state=Proposal.State.PENDING, approver_role="Manager")

    page = new_page()
    page.set_viewport_size({"width": width, "height": 900})
    log_in(page, "maya")
    pages = {"case": case.get_absolute_url(), "approval": reverse("recovery:proposal", args=[proposal.pk])}
    for name, url in pages.items():
        page.goto(url)
        for said in ("What they paid for it", "Part of it", "1 hour 15 minutes", "For an occasion or a deadline"):
            expect(page.get_by_text(said, exact=True).first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing to scroll sideways
        screenshot(page, f"what-was-lost-{name}-{width}")
