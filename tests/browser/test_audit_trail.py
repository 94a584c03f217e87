"""An owner reads the audit trail in a browser: a change made in the back office is there,
with who made it, before and after; a manager is refused the page."""

import re

import pytest

from accounts.roles import Role
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_owner_sees_a_limit_raised_in_the_back_office_and_a_manager_does_not(new_page):
    soho = LocationFactory(name="Soho", code="soho")
    staff(Role.OWNER, username="olga", first_name="Olga", is_staff=True, is_superuser=True)
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran", last_name="Lyons")
    staff(Role.MANAGER, soho, username="maya")

    owner = new_page()
    log_in(owner, "olga")
    owner.goto(f"/admin/accounts/user/{fran.pk}/change/")
    owner.get_by_label("Own authority limit").fill("120")
    owner.get_by_role("button", name="Save", exact=True).click()
    owner.wait_for_url(re.compile(r"/admin/accounts/user/$"))

    owner.goto("/")
    owner.get_by_role("button", name=re.compile("Olga")).click()
    owner.get_by_role("link", name="Audit trail").click()
    owner.get_by_label("About").select_option(label="Users, roles and limits")
    owner.get_by_role("button", name="Show").click()
    row = owner.locator("tr", has_text="User changed: Fran Lyons.").filter(has_text="authority limit").first
    row.wait_for()
    assert "120.00" in row.inner_text() and "Olga" in row.inner_text()
    screenshot(owner, "audit-trail")

    manager = new_page()
    log_in(manager, "maya")
    response = manager.goto("/audit/")
    assert response.status == 403
    assert manager.get_by_role("link", name="Audit trail").count() == 0
