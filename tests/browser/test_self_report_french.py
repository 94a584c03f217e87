"""A French-speaking customer scans the QR code with a phone set to French: the report page, its
errors, the acknowledgement and the email are in French, and they became a French customer.
In a real Chromium with Accept-Language fr (Playwright's locale), at a phone's width and a desktop's."""

import pytest
from django.core import mail
from django.urls import reverse

from cases.models import Case
from tests.attachments.images import image_bytes
from tests.browser.conftest import screenshot
from tests.factories import LocationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def french_phone(browser, live_server):
    """A phone whose browser asks for French."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        locale="fr-FR",
    )
    context.set_default_timeout(20_000)
    yield context.new_page()
    context.close()


def test_a_customer_reports_in_french_with_a_photo_and_is_acknowledged_in_french(french_phone, tmp_path, settings):
    soho = LocationFactory(name="The Soho Kitchen", code="soho")  # an English location: the browser's language wins
    settings.AMENDS_PUBLIC_URL = ""
    photo = tmp_path / "plafond.jpg"
    photo.write_bytes(image_bytes("JPEG", size=(800, 600), color=(90, 120, 160)))
    page = french_phone

    page.goto(reverse("report:form", kwargs={"token": soho.report_token}))
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Dites-nous ce qui n’a pas été").is_visible()
    assert page.get_by_role("link", name="English").is_visible()  # the switcher
    screenshot(page, "self-report-form-fr-phone")
    page.get_by_label("Qu’est-ce qui n’a pas été ?").fill(
        "De l’eau a coulé du plafond sur notre table toute la soirée."
    )
    page.get_by_label("Votre nom").fill("Camille Durand")
    page.get_by_role("button", name="Envoyer mon signalement").click()
    assert page.get_by_text("Cochez cette case pour que nous puissions vous recontacter").is_visible()
    assert page.get_by_text(
        "Indiquez une adresse e-mail ou un numéro de téléphone, pour que nous puissions vous recontacter."
    ).is_visible()
    screenshot(page, "self-report-form-error-fr-phone")

    page.get_by_label("E-mail").fill("camille@example.fr")
    page.get_by_label("Vous pouvez me contacter au sujet de ce signalement.").check()
    page.get_by_label("Une photo, si cela peut aider").set_input_files(str(photo))
    page.get_by_role("button", name="Envoyer mon signalement").click()

    assert page.get_by_text("Merci : nous avons bien reçu votre signalement.").is_visible()
    case = Case.objects.get()
    assert page.get_by_text(case.reference).is_visible()
    assert page.get_by_role("heading", name="Nous vous recontacterons avant le").is_visible()
    screenshot(page, "self-report-received-fr-phone")
    assert case.customer.language == "fr" and case.attachments.count() == 1
    [email] = [message for message in mail.outbox if message.to == ["camille@example.fr"]]
    assert email.subject == f"Nous avons bien reçu votre signalement ({case.reference})"
    assert email.body.startswith("Bonjour,\n\nMerci de nous avoir signalé ce qui n’a pas été.")


def test_the_switcher_turns_the_page_to_french_and_back(new_page):
    comptoir = LocationFactory(name="Le Comptoir", code="comptoir", language="fr")
    page = new_page()  # a browser asking for English (en-US): it wins over the location's French
    page.goto(reverse("report:form", kwargs={"token": comptoir.report_token}))
    assert page.get_by_role("heading", name="Tell us what went wrong").is_visible()
    page.get_by_role("link", name="Français").click()
    assert page.get_by_role("heading", name="Dites-nous ce qui n’a pas été").is_visible()
    assert page.get_by_label("Langue de nos réponses").input_value() == "fr"
    screenshot(page, "self-report-form-fr-desktop")
    page.get_by_role("link", name="English").click()
    assert page.get_by_role("heading", name="Tell us what went wrong").is_visible()
