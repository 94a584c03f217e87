"""Every main page of every role under the Content-Security-Policy, in a real Chromium: no
violation reported on the console, and the pages' own scripts and charts still work."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule
from playwright.sync_api import expect

from accounts.models import User
from accounts.roles import Role
from cases.links import case_token
from conversations.models import SavedReply
from dashboard.rollups import rollups_rebuild
from recovery.models import LedgerEntry
from tests.browser.test_log_case import log_in
from tests.factories import (
    CaseFactory,
    CorrectiveActionFactory,
    CustomerFactory,
    LocationFactory,
    ProposalFactory,
    ProposalLineFactory,
    staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How Chromium reports a refused inline script or style, a refused source, a refused frame.
VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


def watch(page) -> list[str]:
    """The console's policy violations and the page's uncaught errors, as they come."""
    problems = []
    page.on("console", lambda message: VIOLATION.search(message.text) and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    return problems


def visit(page, problems: list[str], url: str) -> None:
    response = page.goto(url)
    assert response.status < 400, f"{url}: {response.status}"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("load")
    assert not problems, f"{url}: {problems}"


@pytest.fixture
def business():
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    maya = staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    staff(Role.OWNER, username="olivia", first_name="Olivia")
    customer = CustomerFactory(name="Alice Moreno", home_location=soho, notes="Regular.\nPrefers email.")
    now = timezone.now()
    yesterday = now - timedelta(days=1)
    case = CaseFactory(location=soho, customer=customer, created_by=fran, assignee=fran, created_at=yesterday)
    pending = ProposalFactory(case=case, state="pending", proposed_by=fran, compensation=Decimal("120"))
    ProposalLineFactory(proposal=pending, face_value=Decimal("120"), cost=Decimal("70"))
    closed = CaseFactory(location=soho, customer=customer, created_by=fran, created_at=now - timedelta(days=3))
    line = ProposalLineFactory(proposal=ProposalFactory(case=closed), face_value=Decimal("900"), cost=Decimal("600"))
    # 30% of the default £2,000 budget used: the budget page's bar has a width to set.
    LedgerEntry.objects.create(line=line, location=soho, entry="approved", kind="gift_card", amount=900, cost=600)
    CorrectiveActionFactory(location=soho, owner=maya, created_by=maya)
    reply = SavedReply.objects.create(title="Sorry", subject="Sorry, {{ first_name }}", body="Dear {{ first_name }}")
    rollups_rebuild()
    return {"case": case, "customer": customer, "reply": reply}


def test_every_role_s_pages_keep_the_policy_and_still_work(new_page, business):
    case, customer = business["case"], business["customer"]
    common = [
        reverse("cases:list"),
        reverse("cases:create"),
        case.get_absolute_url(),
        reverse("customers:detail", args=[customer.pk]),
        reverse("customers:edit", args=[customer.pk]),
        reverse("recovery:propose", args=[case.pk]),
        reverse("password_change"),
    ]
    managers = [
        reverse("dashboard:home"),
        reverse("recovery:queue"),
        reverse("recovery:budget"),
        reverse("followups:list"),
        reverse("corrective:list"),
        reverse("corrective:create"),
        reverse("recovery:proposal", args=[case.proposals.get().pk]),
        reverse("conversations:replies"),
        reverse("conversations:reply_edit", args=[business["reply"].pk]),  # the email's preview frame
    ]
    owners = [
        reverse("recovery:policy"),
        reverse("followups:messages"),
        reverse("followups:message_edit", kwargs={"purpose": "satisfaction_check"}),  # the email's preview frame
    ]
    for username, urls in [("fran", common), ("maya", common + managers), ("olivia", common + managers + owners)]:
        page = new_page()
        problems = watch(page)
        log_in(page, username)
        for url in urls:
            visit(page, problems, url)

    # The scripts and charts, moved to files, still run under the policy.
    page.goto(reverse("dashboard:home"))
    assert page.locator("figure svg").first.is_visible()
    page.evaluate("window.print = () => { window.printed = true; }")  # no dialog in the test
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.printed === true")  # the button's handler, once an onclick, runs
    page.goto(reverse("recovery:budget"))
    bar = page.locator(".progress-bar").first
    track = page.locator(".progress").first
    # Set from data-width by amends.js, since the policy refuses style="width: 30%".
    assert bar.bounding_box()["width"] == pytest.approx(0.3 * track.bounding_box()["width"], abs=2)
    page.goto(reverse("cases:create"))
    page.get_by_label("What they paid for it").fill("64")
    page.get_by_label("All of it: they did not get it or sent it back").check()
    expect(page.locator("#severity-suggested")).to_contain_text("Moderate")  # from the server, by case_form.js
    assert not problems, problems


def test_the_customer_s_page_and_the_sign_in_page_keep_the_policy(page, business):
    problems = watch(page)
    visit(page, problems, reverse("login"))
    visit(page, problems, reverse("password_reset"))
    visit(page, problems, reverse("portal:case", args=[case_token(business["case"].pk)]))


def test_the_back_office_keeps_the_policy(page, business):
    olivia = User.objects.get(username="olivia")
    olivia.is_staff = olivia.is_superuser = True  # the periodic tasks are the superuser's
    olivia.save(update_fields=["is_staff", "is_superuser"])
    CrontabSchedule.objects.create(minute="0", hour="7")
    problems = watch(page)
    log_in(page, "olivia")
    for url in [
        reverse("admin:index"),
        reverse("admin:cases_case_changelist"),
        reverse("admin:cases_case_change", args=[business["case"].pk]),
        reverse("admin:django_celery_beat_periodictask_add"),  # its inline script moved to a file
    ]:
        visit(page, problems, url)
    # The moved script still runs: the chosen crontab is put in words under the field.
    page.locator("#id_crontab").select_option(index=1)
    page.locator(".field-crontab .help").get_by_text("Translation:").wait_for()
    assert not problems, problems
