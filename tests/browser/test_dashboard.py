"""An owner reads the dashboard, changes the range, and follows a figure to its cases; in a real Chromium."""

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


def test_an_owner_changes_the_range_and_follows_a_figure_to_its_cases(page):
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    staff(Role.OWNER, username="olivia", first_name="Olivia", last_name="Achterberg-Montgomery")
    now = timezone.now()
    # Two cases this week, one of them closed with an apology only at major harm; three two months ago.
    CaseFactory(location=soho, created_by=fran, created_at=now - timedelta(days=1), category="delay")
    CaseFactory(
        location=soho, created_by=fran, created_at=now - timedelta(days=2), severity="major", category="delay",
        state="closed", closed_at=now - timedelta(days=1), outcome="lost",
    )  # fmt: skip
    for days in (60, 61, 62):
        CaseFactory(location=soho, created_by=fran, created_at=now - timedelta(days=days), category="billing_error")
    rollups_rebuild()

    log_in(page, "olivia")
    assert page.get_by_role("heading", name="Is our service recovery working?").is_visible()  # owners land here
    # An owner's whole navigation bar, her account menu last, fits the narrowest desktop width.
    page.set_viewport_size({"width": 1200, "height": 900})
    account = page.get_by_role("button", name="Olivia")
    assert account.bounding_box()["x"] + account.bounding_box()["width"] <= 1200
    account.click()
    assert page.get_by_role("heading", name="Olivia Achterberg-Montgomery · Owner").is_visible()
    account.click()
    incidents = page.get_by_role("link", name="Incidents 2")
    assert incidents.is_visible()  # the last 30 days
    screenshot(page, "dashboard-owner-30-days")

    page.get_by_role("link", name="90 days").click()
    page.get_by_role("link", name="Incidents 5").wait_for()
    page.get_by_label("From", exact=True).fill((timezone.localdate() - timedelta(days=70)).isoformat())
    page.get_by_label("To", exact=True).fill((timezone.localdate() - timedelta(days=50)).isoformat())
    page.get_by_role("button", name="Show").click()
    page.get_by_role("link", name="Incidents 3").wait_for()
    assert page.locator("figure").get_by_text("Billing error").first.is_visible()  # the chart's legend

    page.get_by_role("link", name="90 days").click()
    page.get_by_role("link", name="1 Closed with an apology only").click()
    page.get_by_text("The cases behind the dashboard's figure").wait_for()
    rows = page.locator("table.case-list tbody tr")
    assert rows.count() == 1 and "Delay or long wait" in rows.first.inner_text()
    screenshot(page, "dashboard-figure-cases")


def test_no_chart_label_runs_into_its_value_on_a_phone(new_page):
    # A long place name over a large budget overrun: the longest label and value a row can have.
    long_name = LocationFactory(name="Manchester Piccadilly Gardens", code="mpg")
    fran = staff(Role.FRONTLINE, long_name, username="fran")
    staff(Role.OWNER, username="olivia")
    for cost in ("1234567.89", "98765.43"):
        case = CaseFactory(location=long_name, created_by=fran, created_at=timezone.now() - timedelta(days=1))
        ProposalLineFactory(
            proposal=ProposalFactory(case=case), kind="full_refund", face_value=Decimal(cost), cost=Decimal(cost)
        )
    rollups_rebuild()

    page = new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, "olivia")
    rows = page.evaluate(
        """() => [...document.querySelectorAll("figure.chart svg")].flatMap(svg =>
            [...svg.querySelectorAll(".chart-label")].map(label => {
                const value = label.parentNode.querySelector(".chart-value");
                const a = label.getBBox(), b = value.getBBox();
                return {label: label.textContent, value: value.textContent, gap: b.x - (a.x + a.width)};
            }))"""
    )
    assert any("over budget" in row["value"] for row in rows), rows  # the case this test is about
    assert [row for row in rows if row["gap"] < 2] == []
    screenshot(page, "dashboard-phone-rows")
