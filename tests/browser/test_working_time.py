"""An owner sets a location's opening hours in the back office and turns on working time on the
Policy page; a case logged on Saturday evening then reads "due Mon …, 13:00 (working hours)"."""

import datetime
import re
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from accounts.roles import Role
from cases import services
from customers.services import CustomerDetails
from recovery.models import PolicyVersion
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONDON = ZoneInfo("Europe/London")


def next_saturday_evening() -> datetime.datetime:
    today = datetime.datetime.now(LONDON).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 or 7)
    return datetime.datetime.combine(saturday, datetime.time(20), tzinfo=LONDON)


def add_hours(page, row: int, weekday: str, opens: str, closes: str) -> None:
    page.get_by_role("button", name="Add another Opening hours").click()
    page.locator(f"select[name='opening_hours-{row}-weekday']").select_option(label=weekday)
    page.locator(f"input[name='opening_hours-{row}-opens']").fill(opens)
    page.locator(f"input[name='opening_hours-{row}-closes']").fill(closes)


def test_an_owner_sets_opening_hours_and_a_saturday_case_is_due_on_monday(new_page):
    soho = LocationFactory(name="Soho", code="soho", time_zone="Europe/London")
    staff(Role.OWNER, username="olga", first_name="Olga", is_staff=True)
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")

    owner = new_page()
    log_in(owner, "olga")
    owner.goto(f"/admin/accounts/location/{soho.pk}/change/")
    # Two rows on Monday overlap: refused, with the rows kept as typed.
    add_hours(owner, 0, "Monday", "09:00", "13:00")
    add_hours(owner, 1, "Monday", "12:00", "17:00")
    owner.get_by_role("button", name="Save", exact=True).click()
    owner.get_by_text("Monday: Opening hours overlap on the same day (09:00-13:00 and 12:00-17:00).").wait_for()
    screenshot(owner, "location-hours-refused")
    owner.locator("input[name='opening_hours-1-opens']").fill("13:00")
    for row, day in enumerate(["Tuesday", "Wednesday", "Thursday", "Friday"], start=2):
        add_hours(owner, row, day, "09:00", "17:00")
    owner.get_by_label("Public holidays of (country)").fill("GB")
    owner.get_by_label("And of (part of the country)").fill("ENG")
    screenshot(owner, "location-hours")
    owner.get_by_role("button", name="Save", exact=True).click()
    owner.wait_for_url(re.compile(r"/admin/accounts/location/$"))
    assert soho.opening_hours.count() == 6

    owner.goto("/recovery/policy/")
    owner.get_by_label("Count deadlines in working time").check()
    owner.get_by_label("What changed").fill("Deadlines in working time")
    owner.get_by_role("button", name=re.compile("^Publish as v")).click()
    owner.get_by_text("Deadlines in working time").first.wait_for()
    assert PolicyVersion.objects.latest().deadlines_in_working_time

    saturday = next_saturday_evening()
    case, _ = services.case_open(
        actor=fran,
        details=services.IncidentDetails(
            location_id=soho.pk,
            channel="email",
            category="delay",
            description="Order arrived two hours late.",
            occurred_at=saturday - timedelta(hours=1),
        ),
        new_customer=CustomerDetails(name="Jane Doe", email="jane@example.com"),
        submission_token=uuid.uuid4(),
        now=saturday,
    )
    monday = saturday + timedelta(days=2)
    due = f"{monday:%a} {monday.day} {monday:%b}, 13:00 (working hours)"
    frontline = new_page()
    log_in(frontline, "fran")
    frontline.goto(case.get_absolute_url())
    frontline.get_by_text(f"first contact is due {due}").wait_for()
    screenshot(frontline, "case-due-working-hours")
    frontline.set_viewport_size({"width": 390, "height": 844})
    screenshot(frontline, "case-due-working-hours-phone")
    owner.set_viewport_size({"width": 390, "height": 844})
    owner.goto(f"/admin/accounts/location/{soho.pk}/change/")
    screenshot(owner, "location-hours-phone")
