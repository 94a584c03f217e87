"""A customer scans the location's QR code, reports a problem with a photo on their phone and
sees the acknowledgement; a manager of the location sees the case with the photo's thumbnail.
In a real Chromium, at a phone's width and a desktop's."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from attachments.models import Attachment
from cases.models import Case
from tests.attachments.images import image_bytes
from tests.browser.conftest import screenshot
from tests.browser.test_log_case import log_in
from tests.factories import LocationFactory, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_customer_reports_a_problem_with_a_photo_and_staff_see_it(phone, new_page, tmp_path, settings):
    soho = LocationFactory(name="The Soho Kitchen", code="soho")
    staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    settings.AMENDS_PUBLIC_URL = ""
    photo = tmp_path / "ceiling.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600), color=(90, 120, 160), gps=True))

    phone.goto(reverse("report:form", kwargs={"token": soho.report_token}))
    assert phone.get_by_role("heading", name="Tell us what went wrong").is_visible()
    assert not phone.locator("#id_website").is_visible()  # the honeypot is not for people
    screenshot(phone, "self-report-form-phone")
    # First without a way to reach them: the page says so and keeps what was typed.
    phone.get_by_label("What went wrong?").fill("Water dripped from the ceiling onto our table all evening.")
    phone.get_by_label("Your name").fill("Bea Quinn")
    phone.get_by_label("You may contact me about this report.").check()
    phone.get_by_role("button", name="Send my report").click()
    assert phone.get_by_text("Give an email address or a phone number, so we can get back to you.").is_visible()
    assert phone.get_by_label("What went wrong?").input_value().startswith("Water dripped")
    screenshot(phone, "self-report-form-error-phone")

    phone.get_by_label("Email").fill("bea@example.com")
    phone.get_by_label("A photo, if it helps").set_input_files(str(photo))
    phone.get_by_role("button", name="Send my report").click()

    case = Case.objects.get()
    assert phone.get_by_text("Thank you: we have your report.").is_visible()
    assert phone.get_by_text(case.reference).is_visible()
    assert phone.get_by_role("heading", name="We will get back to you by").is_visible()
    screenshot(phone, "self-report-received-phone")
    assert (case.channel, case.state, case.location) == ("online", "open", soho)
    attachment = Attachment.objects.get(case=case)

    desk = new_page()
    log_in(desk, "maya")
    desk.goto(case.get_absolute_url())
    assert desk.get_by_text("Water dripped from the ceiling").is_visible()
    thumbnail = desk.locator(f'.timeline img[src="{attachment.get_thumbnail_url()}"]')
    thumbnail.scroll_into_view_if_needed()
    assert thumbnail.is_visible()
    # The image loaded (it is lazy: decode() waits for it once it is scrolled into view).
    assert thumbnail.evaluate("img => img.decode().then(() => img.naturalWidth)") == 320
    assert desk.get_by_text("Photo attached by the customer: ceiling.jpg").is_visible()
    screenshot(desk, "self-report-case-desktop")


def test_the_report_page_on_a_desktop(new_page):
    soho = LocationFactory(name="The Soho Kitchen", code="soho")
    page = new_page()
    page.goto(reverse("report:form", kwargs={"token": soho.report_token}))
    assert page.get_by_role("button", name="Send my report").is_visible()
    screenshot(page, "self-report-form-desktop")


def test_a_manager_prints_the_locations_qr_card(new_page):
    soho = LocationFactory(name="The Soho Kitchen", code="soho")
    staff(Role.MANAGER, soho, username="maya", first_name="Maya")
    page = new_page()
    log_in(page, "maya")
    page.goto("/")
    page.get_by_role("button", name="Maya").click()
    page.get_by_role("link", name="Locations and QR codes").click()
    page.get_by_role("link", name="The Soho Kitchen").click()
    assert page.locator("svg.qr-code").is_visible()
    screenshot(page, "location-detail-desktop")
    page.get_by_role("link", name="Print the card").click()
    assert page.get_by_role("heading", name="Tell us what went wrong").is_visible()
    box = page.locator(".report-card svg.qr-code").bounding_box()
    assert box and box["width"] >= 200  # big enough to scan from a counter
    screenshot(page, "location-print-desktop")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "location-print-phone")


def test_an_owner_gives_the_page_a_new_link_and_the_old_one_finds_no_page(new_page, settings):
    soho = LocationFactory(name="The Soho Kitchen", code="soho")
    staff(Role.OWNER, soho, username="olga", first_name="Olga")
    settings.AMENDS_PUBLIC_URL = ""
    old = reverse("report:form", kwargs={"token": soho.report_token})
    page = new_page()
    log_in(page, "olga")
    page.goto(reverse("locations:detail", kwargs={"pk": soho.pk}))
    assert page.locator("#report-link").input_value().endswith(old)
    page.get_by_text("Give the page a new link…").click()
    warning = page.get_by_text("every printed card's QR code stop working at once")
    assert warning.is_visible()
    screenshot(page, "location-new-link-desktop")
    page.get_by_role("button", name="Yes, give it a new link").click()
    assert page.get_by_text("The report page has a new link: print the new card.").is_visible()
    soho.refresh_from_db()
    new = reverse("report:form", kwargs={"token": soho.report_token})
    assert new != old and page.locator("#report-link").input_value().endswith(new)
    customer = new_page()
    assert customer.goto(old).status == 404
    customer.goto(new)
    assert customer.get_by_role("heading", name="Tell us what went wrong").is_visible()
