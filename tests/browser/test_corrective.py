"""A manager marks a corrective action done: the confirmation says who is told and who is not,
and it works with JavaScript off; in a real Chromium."""

import pytest

from accounts.roles import Role
from corrective import services
from followups.models import FollowUp
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import CaseFactory, CorrectiveActionFactory, CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_marking_done_confirms_who_is_told_with_javascript_off(browser, live_server):
    soho = LocationFactory(name="Soho", code="soho")
    maya = staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    action = CorrectiveActionFactory(location=soho, owner=maya, created_by=maya, title="Check the oven daily")
    for name, consent in (("Ann Agreed", True), ("Rob Refused", False)):
        customer = CustomerFactory(home_location=soho, name=name, contact_consent=consent)
        case = CaseFactory(location=soho, customer=customer, created_by=maya)
        services.corrective_action_link_case(action=action, case=case, actor=maya)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(20_000)
    page = context.new_page()

    log_in(page, "maya")
    page.goto(action.get_absolute_url())
    assert page.get_by_text("Will not be told: has not agreed to be contacted").is_visible()
    page.get_by_label("What we tell the customers").fill("Every oven is now checked at opening time.")
    page.get_by_role("button", name="Mark done and tell 1 customer…").click()

    confirm = page.locator("#confirm")
    confirm.wait_for()
    assert confirm.get_by_text("Ann Agreed").is_visible() and "by email" in confirm.inner_text()
    assert "Rob Refused" in confirm.inner_text() and "has not agreed to be contacted" in confirm.inner_text()
    assert not FollowUp.objects.exists()
    screenshot(page, "corrective-confirm-done")

    confirm.get_by_role("button", name="Yes, mark done and tell 1 customer").click()
    page.get_by_text("Done. 1 customer will be told what changed.").wait_for()
    action.refresh_from_db()
    assert action.state == "done" and action.customer_message == "Every oven is now checked at opening time."
    assert FollowUp.objects.get().case.customer.name == "Ann Agreed"
    context.close()
