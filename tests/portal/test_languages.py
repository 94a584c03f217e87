"""The customer's pages and messages in their language: French complete, English unchanged."""

import re
import uuid
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from attachments.services import REFUSED
from attachments.validation import NOT_ALLOWED, TOO_LARGE, TOO_MANY_PIXELS, size_words
from cases.models import Case
from core.languages import from_accept_language
from core.translatable import translate_filled
from customers.contact import TOO_SHORT
from customers.services import CustomerDetails, customer_create
from followups.messages import PLACEHOLDERS, Wording
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import compose_for, followup_send
from followups.wording import message_template_save
from portal.acknowledgements import self_report_acknowledgement
from portal.languages import customer_words
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, SentCustomerMessageFactory
from tests.portal.conftest import link_to

# Words of English that no French sentence of ours holds (whole words, as written).
ENGLISH = re.compile(
    r"\b(the|your|you|we|our|what|with|this|that|and|please|thank|hello|case|link|report|will|has|have|been)\b",
    re.IGNORECASE,
)


def words_of(html: str) -> str:
    """What a reader meets: the text between tags, and the labels read aloud or shown on hover."""
    labels = " ".join(re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', html))
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.DOTALL)
    return unescape(re.sub(r"<[^>]+>", " ", text) + " " + labels)


def english_in(text: str, *allowed: str) -> list[str]:
    for word in allowed:
        text = text.replace(word, " ")
    return ENGLISH.findall(text)


@pytest.fixture
def paris(db):
    return LocationFactory(name="Bistrot Lumière", code="lumiere", language="fr", contact_line="01 23 45 67 89")


@pytest.fixture
def french_case(paris):
    customer = CustomerFactory(home_location=paris, name="Camille Durand", language="fr")
    return CaseFactory(location=paris, customer=customer, category="delay")


def test_a_new_customer_speaks_their_location_s_language(paris, frontline):
    made = customer_create(
        details=CustomerDetails(name="Léa", email="lea@example.fr"), home_location_id=paris.pk, actor=frontline
    )
    assert made.language == "fr"


def test_the_status_page_is_in_the_customer_s_language(client, french_case):
    SentCustomerMessageFactory(case=french_case, purpose=Purpose.SATISFACTION_CHECK.value)
    response = client.get(link_to(french_case))
    page = response.content.decode()
    assert response["Content-Language"] == "fr" and '<html lang="fr">' in page
    assert "Bonjour Camille" in page and "Retard ou longue attente" in page
    assert "Dans quelle mesure avons-nous réglé le problème ?" in page and "Très bien" in page
    assert english_in(words_of(page), french_case.reference) == []


def test_an_english_customer_s_page_is_unchanged(client, case, link):
    page = client.get(link).content.decode()
    assert '<html lang="en">' in page and "Hello Alice" in page and "Bonjour" not in page


def test_a_french_answer_is_thanked_and_refused_in_french(client, french_case):
    SentCustomerMessageFactory(case=french_case, purpose=Purpose.SATISFACTION_CHECK.value)
    url = link_to(french_case)
    refused = client.post(url, {"will_return": "yes"}).content.decode()
    assert "Indiquez, de 1 à 5, dans quelle mesure nous avons réglé le problème." in refused
    thanked = client.post(url, {"rating": "5", "will_return": "yes"}, follow=True).content.decode()
    assert "Nous avons bien reçu votre réponse." in thanked and "Merci !" in thanked
    assert "vous avez répondu <strong>très bien</strong> (5 sur 5)" in thanked
    # The timeline keeps the staff's words.
    assert "The customer answered" in french_case.events.last().note


def test_a_refused_link_of_a_french_customer_is_in_french(client, french_case, settings):
    link = link_to(french_case)
    with time_machine.travel(timezone.now() + timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS, minutes=1)):
        page = client.get(link).content.decode()
    assert "Ce lien a expiré" in page and english_in(words_of(page)) == []


def test_a_link_naming_no_case_reads_as_the_browser_asks(client):
    url = reverse("portal:case", kwargs={"token": "not-a-token"})
    assert "Ce lien n’est pas valide" in client.get(url, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()
    assert "This link is not valid" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("fr-FR,fr;q=0.9,en;q=0.8", "fr"),
        ("de;q=1, en-GB;q=0.5", "en"),
        ("en;q=0.2, fr;q=0.9", "fr"),
        ("de", None),
        ("", None),
    ],
)
def test_accept_language_picks_the_first_we_speak(header, language):
    assert from_accept_language(header) == language


def test_a_filled_in_message_is_translated_with_its_values():
    def translate(text: str) -> str:
        return "FR: " + text

    filled = TOO_SHORT.format(country="+33 (FR)")
    assert translate_filled(filled, [TOO_SHORT], translate) == "FR: " + filled
    assert translate_filled("Something else", [TOO_SHORT], translate) == "Something else"


def test_a_photo_refusal_reads_in_french():
    with translation.override("fr"):
        said = customer_words(REFUSED.format(name="facture.exe", reason=NOT_ALLOWED))
    assert said.startswith("facture.exe n’a pas été joint : Nous acceptons uniquement les photos")


def test_sizes_in_a_refusal_read_in_french_and_stay_as_they_were_in_english():
    refused = REFUSED.format(
        name="plafond.jpg", reason=TOO_LARGE.format(size=size_words(12_345_678), maximum=size_words(10_000_000))
    )
    with translation.override("fr"):
        said = customer_words(refused)
    assert said == "plafond.jpg n’a pas été joint : Le fichier est trop volumineux : 12,3 Mo (au plus 10,0 Mo)."
    with translation.override("en"):
        assert (
            customer_words(refused) == "plafond.jpg was not attached: The file is too large: 12.3 MB (at most 10.0 MB)."
        )
    with translation.override("fr"):
        assert [customer_words(size_words(size)) for size in (2048, 999)] == ["2 ko", "999 octets"]


def test_only_the_values_a_message_was_filled_with_are_written_as_numbers_of_the_language():
    def in_french(number: str) -> str:
        return number.replace(".", ",")

    filled = TOO_SHORT.format(country="+33 (FR)")
    assert translate_filled(filled, [TOO_SHORT], str, in_french) == filled  # not a number: as it was
    assert translate_filled("1.5 and more", [TOO_SHORT], str, in_french) == "1.5 and more"  # not a message: as it was
    pixels = TOO_MANY_PIXELS.format(width="8000.5", height=12)
    assert translate_filled(pixels, [TOO_MANY_PIXELS], str, in_french) == TOO_MANY_PIXELS.format(
        width="8000,5", height=12
    )


# The self-report page -------------------------------------------------------------------------


def report(**changes) -> dict:
    data = {
        "description": "Le plafond a fui sur notre table toute la soirée.",
        "category": "product_quality",
        "name": "Camille Durand",
        "email": "camille@example.fr",
        "phone": "",
        "contact_consent": "on",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }
    return {key: value for key, value in ({**data, **changes}).items() if value is not None}


@pytest.mark.parametrize(
    ("location_language", "header", "query", "expected"),
    [
        ("en", "fr-FR,fr;q=0.9", "", "fr"),  # the browser asks for French
        ("fr", "", "", "fr"),  # nothing asked: the location's
        ("fr", "de", "", "fr"),  # asked for one we do not speak: the location's
        ("en", "", "", "en"),
        ("fr", "fr", "?lang=en", "en"),  # the switcher wins
    ],
)
def test_the_report_page_speaks_what_is_asked_else_the_location_s(
    client, soho, location_language, header, query, expected
):
    soho.language = location_language
    soho.save()
    url = reverse("report:form", kwargs={"token": soho.report_token}) + query
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=header)
    page = response.content.decode()
    assert response["Content-Language"] == expected
    assert f'<html lang="{expected}">' in page
    assert ("Dites-nous ce qui n’a pas été" in page) is (expected == "fr")
    # The switcher: a link to each language, the page's marked.
    assert 'href="?lang=fr"' in page and 'href="?lang=en"' in page
    assert f'<option value="{expected}" lang="{expected}" selected>' in page


def test_the_french_report_page_has_no_english_sentence(client, soho):
    page = client.get(reverse("report:form", kwargs={"token": soho.report_token}) + "?lang=fr").content.decode()
    assert english_in(words_of(page), "English", soho.name) == []


def test_a_report_in_french_makes_a_french_customer_acknowledged_in_french(
    client, soho, django_capture_on_commit_callbacks
):
    url = reverse("report:form", kwargs={"token": soho.report_token})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url + "?lang=fr", report(language="fr"), HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 303 and response["Location"].endswith("?lang=fr")
    case = Case.objects.get()
    assert case.customer.language == "fr"
    page = client.get(response["Location"]).content.decode()
    assert "Merci : nous avons bien reçu votre signalement." in page and "Nous vous recontacterons avant le" in page
    assert english_in(words_of(page), "English", soho.name, case.reference) == []
    [email] = mail.outbox
    assert email.subject == f"Nous avons bien reçu votre signalement ({case.reference})"
    assert "quelqu’un de Soho vous recontactera avant le" in email.body
    assert english_in(email.body, "Soho", case.reference) == []


def test_the_report_page_says_the_photo_s_limit_in_the_page_s_language(client, soho):
    url = reverse("report:form", kwargs={"token": soho.report_token})
    assert "jusqu’à 10,0 Mo." in client.get(url + "?lang=fr").content.decode()
    assert "up to 10.0 MB." in client.get(url + "?lang=en").content.decode()


def test_a_request_too_large_is_refused_in_french_with_a_french_size(client, soho, settings):
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 2500
    url = reverse("report:form", kwargs={"token": soho.report_token}) + "?lang=fr"
    photo = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * 200_000)
    page = client.post(url, {**report(), "photo": photo}).content.decode()
    assert "une photo peut faire au plus 2 ko." in unescape(page)


def test_a_report_s_errors_are_in_the_page_s_language(client, soho):
    url = reverse("report:form", kwargs={"token": soho.report_token}) + "?lang=fr"
    page = client.post(url, report(email="", phone="0770 090", contact_consent=None)).content.decode()
    assert "Cochez cette case pour que nous puissions vous recontacter" in page
    assert "Ce numéro est trop court pour" in page
    assert "Merci de vérifier les 2 points signalés ci-dessous." in page


def test_an_english_report_is_acknowledged_as_before(client, soho, django_capture_on_commit_callbacks):
    url = reverse("report:form", kwargs={"token": soho.report_token})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, report(name="Bea Quinn", email="bea@example.com"))
    case = Case.objects.get()
    assert case.customer.language == "en"
    assert mail.outbox[0].subject == f"We have your report ({case.reference})"
    assert "Thank you for telling us what went wrong." in mail.outbox[0].body


# Messages --------------------------------------------------------------------------------------


@pytest.mark.parametrize("purpose", [Purpose.REMEDY_MESSAGE, Purpose.CORRECTIVE_MESSAGE, Purpose.SATISFACTION_CHECK])
def test_each_message_is_written_in_french_with_every_placeholder_filled(french_case, purpose):
    followup = FollowUp(case=french_case, purpose=purpose.value, body="Remboursement intégral de 40,00 €")
    composed = compose_for(followup)
    assert composed.text.startswith("Bonjour Camille,")
    assert "{{" not in composed.text and "{{" not in composed.subject
    month = timezone.localtime(french_case.occurred_at).month
    french_months = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ]
    assert french_months[month - 1] in composed.text
    assert english_in(composed.text + composed.subject, "Bistrot Lumière") == []
    assert '<html lang="fr">' in composed.html
    assert set(PLACEHOLDERS) >= {"first_name", "link"}


def test_a_french_customer_s_remedy_message_goes_out_in_french_and_an_english_one_unchanged(french_case, case):
    for target in (french_case, case):
        FollowUp.objects.create(
            case=target,
            kind=FollowUp.Kind.CUSTOMER_MESSAGE,
            purpose=Purpose.REMEDY_MESSAGE.value,
            channel=FollowUp.Channel.EMAIL,
            subject="What we did",
            body="- Full refund",
            due_at=timezone.now(),
        )
    for followup in FollowUp.objects.filter(purpose=Purpose.REMEDY_MESSAGE.value).order_by("pk"):
        assert followup_send(followup_id=followup.pk)
    french, english = sorted(mail.outbox, key=lambda message: message.to[0] != french_case.customer.email)
    assert french.subject == "Ce que nous avons fait pour réparer les choses"
    assert english.subject == "What we have done to put things right"
    assert english.body.startswith("Dear Alice,\n\nThank you for telling us what went wrong on")


def test_the_owner_s_french_wording_is_used_for_french_customers_only(french_case, case, owner):
    message_template_save(
        purpose=Purpose.SATISFACTION_CHECK,
        language="fr",
        wording=Wording("Votre avis compte", "Bonjour {{ first_name }}, un mot ? {{ link }}"),
        actor=owner,
    )
    french = compose_for(FollowUp(case=french_case, purpose=Purpose.SATISFACTION_CHECK.value))
    english = compose_for(FollowUp(case=case, purpose=Purpose.SATISFACTION_CHECK.value))
    assert french.subject == "Votre avis compte" and english.subject == "Is everything right now?"


def test_the_acknowledgement_follows_the_customer_s_language(french_case):
    message = self_report_acknowledgement(french_case)
    assert message.subject.startswith("Nous avons bien reçu votre signalement")
    assert english_in(message.text, "Bistrot Lumière", french_case.reference) == []
