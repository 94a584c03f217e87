"""Frontline promise a callback on the case page, get reminded, and mark it made; in a real Chromium."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from followups import services
from followups.models import FollowUp
from followups.plans import Purpose
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CaseFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_promised_callback_is_planned_reminded_and_kept(page):
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    case = CaseFactory(location=soho, created_by=fran, category="broken_promise")

    log_in(page, "fran")
    page.goto(case.get_absolute_url())
    page.get_by_role("button", name="Promise a callback").click()
    at = timezone.localtime() + timedelta(hours=2)
    page.get_by_label("Call the customer back at").fill(at.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("What was promised (optional)").fill("To say when the new cake is ready")
    page.get_by_role("button", name="Promise", exact=True).click()
    page.get_by_text("Callback promised for").first.wait_for()
    followups = page.locator("#followups")
    assert followups.get_by_text("Call the customer back as promised", exact=True).is_visible()
    assert followups.get_by_text("A promised callback was not made", exact=True).is_visible()  # the escalation, planned

    # The reminder comes due: the dispatcher sends it to Fran's notifications.
    reminder = FollowUp.objects.get(purpose=Purpose.CALLBACK_REMINDER)
    services.followup_send(followup_id=reminder.pk)
    page.reload()
    assert page.get_by_label(re.compile("Notifications: 1 unread")).is_visible()
    screenshot(page, "followups-callback-promised")

    page.get_by_placeholder("How it went (optional)").fill("Spoke to the customer; cake ready Friday")
    page.get_by_role("button", name="Callback made").click()
    page.get_by_text("Callback recorded: the promise is kept.").wait_for()
    assert not FollowUp.objects.filter(state="scheduled").exists()
    assert FollowUp.objects.get(purpose=Purpose.CALLBACK_REMINDER).state == "done"
    screenshot(page, "followups-callback-made")


def test_a_manager_tries_failed_messages_again_in_bulk_with_the_keyboard(page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    cases = [CaseFactory(location=soho) for _ in range(3)]
    for case in cases:
        services.followup_schedule(
            case=case,
            kind=FollowUp.Kind.CUSTOMER_MESSAGE,
            purpose=Purpose.REMEDY_MESSAGE,
            channel=FollowUp.Channel.EMAIL,
            due_at=timezone.now(),
        )
    for followup_id in services.followup_claim_due():
        services.followup_record_failure(followup_id=followup_id, error="550 5.1.1 No such user here", permanent=True)

    log_in(page, "maya")
    page.goto("/followups/")
    # Tick the first and the last with the keyboard: focus each box and press Space.
    for case in (cases[0], cases[2]):
        page.get_by_label(re.compile(f"Try again {case.reference}")).focus()
        page.keyboard.press("Space")
    assert page.get_by_label(re.compile(f"Try again {cases[0].reference}")).is_checked()
    assert not page.get_by_label(re.compile(f"Try again {cases[1].reference}")).is_checked()
    page.get_by_role("button", name="Try the ticked ones again").focus()
    screenshot(page, "followups-failed-ticked")
    page.keyboard.press("Enter")
    page.get_by_text("Trying again: 2 follow-ups.").wait_for()
    screenshot(page, "followups-failed-retried")
    states = {row.case_id: row.state for row in FollowUp.objects.all()}
    assert states == {cases[0].pk: "scheduled", cases[1].pk: "failed", cases[2].pk: "scheduled"}
