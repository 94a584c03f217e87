"""A frontline member of staff writes to the customer from the case, starting from a saved reply:
the preview shows the customer's own details, and once sent the message is on the case with how
it went; a manager keeps the saved replies. In a real Chromium, on a desktop and a phone."""

import os

import pytest
from django.core import mail

from accounts.roles import Role
from cases.models import Event
from conversations import services
from followups.models import FollowUp
from tests.browser.conftest import ARTIFACTS, screenshot
from tests.browser.test_log_case import log_in
from tests.browser.test_page_policy import watch
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world():
    soho = LocationFactory(name="Soho", code="soho")
    fran = staff(Role.FRONTLINE, soho, username="fran", first_name="Fran")
    maya = staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    alice = CustomerFactory(name="Alice Moreno", email="alice@example.com", home_location=soho)
    case = CaseFactory(location=soho, customer=alice, created_by=fran, first_contact_at=None)
    services.saved_reply_create(
        actor=maya,
        location_id=soho.pk,
        title="Sorry for the wait",
        subject="About your visit, {{ first_name }}",
        body="Dear {{ first_name }},\n\nWe are sorry you waited so long on {{ incident_date }}.\n\n{{ signature }}",
    )
    return case


def write_from_the_saved_reply(page, case):
    page.goto(case.get_absolute_url())
    page.get_by_role("button", name="Write a message").click()
    page.get_by_label("Start from").select_option(label="Sorry for the wait")
    # The page fills in the reply's words at once.
    assert page.get_by_label("Subject").input_value() == "About your visit, {{ first_name }}"
    page.get_by_label("Message", exact=True).press("End")
    page.get_by_label("Message", exact=True).type("\nWe will call you tomorrow.")
    page.get_by_role("button", name="Preview").click()
    page.locator("#message-preview-heading").wait_for()


def test_a_frontline_member_of_staff_writes_to_the_customer_from_a_saved_reply(page, world):
    case = world
    problems = watch(page)  # the script, the email's preview frame: nothing the page's policy refuses
    log_in(page, "fran")
    write_from_the_saved_reply(page, case)
    composer = page.locator("#messages")
    assert composer.get_by_text("What Alice will read").is_visible()
    assert composer.get_by_text("About your visit, Alice", exact=True).is_visible()
    preview = page.frame_locator("iframe[title='Preview of the message']")
    assert preview.get_by_text("Dear Alice,").is_visible()
    assert preview.get_by_text("We will call you tomorrow.").is_visible()
    assert not FollowUp.objects.filter(case=case).exists()  # a preview sends nothing
    page.locator("#message-preview-heading").scroll_into_view_if_needed()
    # A full-page picture leaves a frame below the fold blank: this one shows the email itself.
    page.screenshot(path=os.path.join(ARTIFACTS, "message-composer-preview-email.png"))
    screenshot(page, "message-composer-preview")

    composer.get_by_role("button", name="Send to Alice").click()
    page.get_by_text("Your message to Alice is on its way by email.").wait_for()
    followup = FollowUp.objects.get(case=case)
    assert (followup.purpose, followup.state) == ("staff_message", "sent")
    [email] = mail.outbox
    assert email.subject == "About your visit, Alice" and "We will call you tomorrow." in email.body
    entry = page.locator(".timeline li", has_text="Message to the customer")
    assert entry.get_by_text("“About your visit, Alice”, by email.").is_visible()
    assert entry.get_by_text("Sent by email").is_visible()
    # The first contact: the case is no longer waiting for one.
    assert Event.objects.filter(case=case, kind=Event.Kind.CASE_CONTACT_MADE).count() == 1
    assert not page.get_by_role("button", name="Record first contact").is_visible()
    screenshot(page, "message-composer-sent")
    assert not problems, problems


def test_the_composer_and_saved_replies_read_on_a_phone(browser, live_server, world):
    case = world
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True
    )
    context.set_default_timeout(20_000)
    phone = context.new_page()
    try:
        log_in(phone, "maya")
        write_from_the_saved_reply(phone, case)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "message-composer-phone")
        phone.goto("/replies/")
        phone.get_by_role("link", name="Edit and preview").click()
        phone.get_by_role("button", name="Preview").click()
        phone.frame_locator("iframe[title='Preview of the saved reply']").get_by_text("Dear Alice,").wait_for()
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(phone, "saved-reply-phone")
    finally:
        context.close()


def test_a_manager_adds_a_saved_reply_with_a_preview(page, world):
    log_in(page, "maya")
    page.goto("/replies/")
    screenshot(page, "saved-replies")
    page.get_by_role("link", name="Add a reply").click()
    page.get_by_label("Title").fill("Refund on its way")
    page.get_by_label("Subject").fill("Your refund, {{ first_name }}")
    page.get_by_label("Message", exact=True).fill(
        "Dear {{ first_name }},\n\nYour refund is on its way.\n\n{{ signature }}"
    )
    page.get_by_role("button", name="Preview").click()
    page.frame_locator("iframe[title='Preview of the saved reply']").get_by_text(
        "Your refund is on its way."
    ).wait_for()
    screenshot(page, "saved-reply-edit")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved: staff can start a message from “Refund on its way”.").wait_for()
