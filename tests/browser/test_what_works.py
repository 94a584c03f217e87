"""An owner goes from the dashboard to "What works", reads it on a phone, and follows a figure to
its cases with the keyboard; in a real Chromium."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from dashboard.rollups import rollups_rebuild
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CaseFactory, LocationFactory, ProposalFactory, ProposalLineFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def closed_case(location, person, days, outcome, gift=None):
    now = timezone.now()
    case = CaseFactory(
        location=location, created_by=person, created_at=now - timedelta(days=days), category="delay",
        order_value=Decimal(40), first_contact_at=now - timedelta(days=days) + timedelta(minutes=20),
        state="closed", closed_at=now - timedelta(days=days - 1), outcome=outcome,
    )  # fmt: skip
    if gift is not None:
        proposal = ProposalFactory(case=case, proposed_by=person, state="delivered", decided_at=case.created_at)
        ProposalLineFactory(proposal=proposal, kind="gift_card", face_value=Decimal(gift), cost=Decimal(gift))
    return case


def test_an_owner_reads_what_works_and_follows_a_figure_to_its_cases(page):
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    staff(Role.OWNER, username="olivia", first_name="Olivia")
    for days, outcome, gift in [(3, "retained", 30), (4, "retained", 30), (5, "lost", 10), (6, "lost", None)]:
        closed_case(soho, fran, days, outcome, gift)
    rollups_rebuild()

    log_in(page, "olivia")
    page.get_by_role("link", name="What works").click()
    page.get_by_role("heading", name="What works", exact=True).wait_for()
    given = page.get_by_role("table", name="Retention and satisfaction by remedy given")
    gift_row = given.get_by_role("row").filter(has_text="Gift card")
    assert "67%" in gift_row.inner_text()  # two of the three given a gift card came back
    amounts = page.get_by_role("table", name="Retention and satisfaction by amount band")
    assert "100%" in amounts.get_by_role("row").filter(has_text="60–120% of the loss").inner_text()
    screenshot(page, "what-works-desktop")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing runs off a phone
    screenshot(page, "what-works-phone")

    # By keyboard: the gift card's "came back" figure opens its two cases.
    link = gift_row.get_by_role("link", name="67% came back: the 2 cases")
    link.focus()
    page.keyboard.press("Enter")
    page.get_by_text("The cases behind the dashboard's figure").wait_for()
    assert "given gift card" in page.get_by_role("status").inner_text()
    assert page.locator("table.case-list tbody tr").count() == 2
