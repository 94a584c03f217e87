"""An owner previews a draft policy against the last year's cases, then publishes it, in Chromium."""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.roles import Role
from recovery.models import PolicyReplay, PolicyVersion
from recovery.replays import draft_to_json
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.browser.test_page_policy import watch
from tests.factories import CaseFactory, LocationFactory, ProposalFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("AMENDS_SHOTS", "")  # a folder for screenshots at phone and desktop width


def test_an_owner_previews_a_draft_then_publishes_it(page):
    soho, camden = LocationFactory(name="Soho", code="soho"), LocationFactory(name="Camden", code="camden")
    fran = staff(Role.FRONTLINE, soho, username="fran")
    staff(Role.OWNER, username="olivia")
    spoiled = CaseFactory(location=soho, created_by=fran, order_value=Decimal(64), lost="all")
    ProposalFactory(case=spoiled, state="approved", compensation=Decimal(30), proposed_by=fran)
    CaseFactory(location=camden, order_value=Decimal(300), lost="all")
    problems = watch(page)  # the Content-Security-Policy holds: no inline script or style
    log_in(page, "olivia")
    page.goto("/recovery/policy/")
    shoot(page, "policy")
    page.get_by_label("How generous").fill("1.50")
    page.get_by_label("A typical customer spends a year").fill("900")
    page.get_by_label("What changed").fill("More generous")
    page.get_by_role("button", name="Preview against the last 12 months").click()

    page.wait_for_url(re.compile(r"/recovery/policy/replays/\d+/"))
    expect(page.get_by_role("heading", name="The draft against the last 12 months")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("All locations: 2 cases"))
    expect(table.get_by_role("row", name=re.compile("Compensation suggested"))).to_be_visible()
    assert PolicyVersion.objects.count() == 1  # a preview publishes nothing
    shoot(page, "replay")
    screenshot(page, "policy-replay")

    page.get_by_label("Location").select_option(label="Soho")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name=re.compile("Soho: 1 case"))).to_be_visible()
    page.get_by_role("link", name=spoiled.reference).click()
    page.wait_for_url(f"**{spoiled.get_absolute_url()}")
    page.go_back()

    next_version = PolicyVersion.objects.latest().pk + 1  # ids run on from earlier tests' rows
    page.get_by_role("button", name=f"Publish this draft as v{next_version}", exact=True).click()
    page.wait_for_url("**/recovery/policy/")
    expect(page.get_by_text(f"Policy v{next_version} is in force")).to_be_visible()
    latest = PolicyVersion.objects.latest()
    assert latest.pk == next_version
    assert (latest.generosity, latest.typical_yearly_value, latest.note) == (Decimal("1.5"), 900, "More generous")
    assert PolicyReplay.objects.get().published == latest
    assert not problems, problems


def shoot(page, name: str) -> None:
    """Screenshots at phone and desktop width, when AMENDS_SHOTS names a folder (to look at them)."""
    if SHOTS:
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.screenshot(path=os.path.join(SHOTS, f"{name}-{width}.png"), full_page=True)


def test_a_preview_still_running_says_so_and_reloads_itself(page):
    olivia = staff(Role.OWNER, username="olivia")
    replay = PolicyReplay.objects.create(
        requested_by=olivia, based_on=PolicyVersion.objects.latest(), draft=draft_to_json({}, {})
    )
    log_in(page, "olivia")
    problems = watch(page)
    page.goto(replay.get_absolute_url())
    expect(page.get_by_role("status")).to_contain_text("This page refreshes itself")
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    shoot(page, "replay-waiting")
    PolicyReplay.objects.filter(pk=replay.pk).update(state="failed", error="The replay stopped: RuntimeError.")
    page.wait_for_selector("text=The replay stopped", timeout=10_000)  # the refresh shows the outcome
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    assert not problems, problems
