"""The owner's wording of each message, one per language: picked, previewed and audited per language."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cases.events import Kind
from cases.models import Event
from followups.messages import Wording
from followups.models import MessageTemplate
from followups.plans import Purpose
from followups.services.scheduling import remedy_details
from followups.wording import message_template_save, wording_in_force
from tests.conftest import signed_in
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, ProposalFactory, ProposalLineFactory

URL = reverse("followups:message_edit", kwargs={"purpose": "satisfaction_check"})
BODY = "Bonjour {{ first_name }}, tout va bien ? {{ link }}"


@pytest.fixture
def client(owner):
    LocationFactory(name="Soho", code="soho")
    return signed_in(owner)


def test_the_page_shows_the_built_in_wording_translated_and_previews_in_french(client):
    page = client.get(URL + "?language=fr").content.decode()
    assert "Tout est-il rentré dans l’ordre ?" in page  # the built-in subject, in French
    assert "Bonjour Alice," in page  # the preview, in French
    assert 'aria-current="page"' in page and "Français" in page
    assert page.count("(built-in)") == 2  # neither language customised yet


def test_saving_in_french_keeps_english_built_in_and_the_audit_names_french(client, owner):
    response = client.post(URL + "?language=fr", {"subject": "Votre avis", "body": BODY, "do": "save"})
    assert response.status_code == 302
    row = MessageTemplate.objects.get()
    assert (row.language, row.subject) == ("fr", "Votre avis")
    assert wording_in_force(Purpose.SATISFACTION_CHECK, "en") == (
        Wording("Is everything right now?", wording_in_force(Purpose.SATISFACTION_CHECK, "en")[0].body),
        True,
    )
    entry = Event.objects.get(kind=Kind.MESSAGE_WORDING_CHANGED)
    assert "French (fr)" in entry.note and entry.actor == owner
    english = client.get(URL).content.decode()
    assert "Is everything right now?" in english and "(customised)" in english
    listing = client.get(reverse("followups:messages")).content.decode()
    assert "your wording (" in listing and "built-in" in listing


def test_going_back_to_built_in_in_one_language_leaves_the_other(client, owner):
    for language in ("en", "fr"):
        message_template_save(
            purpose=Purpose.SATISFACTION_CHECK, language=language, wording=Wording("Mine", BODY), actor=owner
        )
    assert client.post(URL + "?language=fr", {"do": "reset"}).status_code == 302
    assert list(MessageTemplate.objects.values_list("language", flat=True)) == ["en"]


def test_an_unknown_language_shows_the_default(client):
    page = client.get(URL + "?language=xx").content.decode()
    assert "Is everything right now?" in page


def test_a_wording_in_a_language_we_do_not_write_is_refused(owner):
    with pytest.raises(ValueError, match="not written to"):
        message_template_save(purpose=Purpose.REMEDY_MESSAGE, language="de", wording=Wording("x", "y"), actor=owner)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "- Gift card of £20.00\n- Personal call from the manager"),
        ("fr", "- Carte cadeau : 20,00\u00a0£\n- Un appel personnel du responsable"),
    ],
)
def test_the_remedies_delivered_are_listed_in_the_customer_s_language(soho, language, expected):
    customer = CustomerFactory(home_location=soho, language=language)
    proposal = ProposalFactory(case=CaseFactory(location=soho, customer=customer))
    ProposalLineFactory(proposal=proposal, kind="gift_card", face_value=Decimal("20.00"))
    ProposalLineFactory(proposal=proposal, kind="manager_call", face_value=Decimal("0"))
    ProposalLineFactory(proposal=proposal, kind="apology", face_value=Decimal("0"))
    assert remedy_details(proposal.lines.order_by("pk"), language) == expected
    assert remedy_details([], language) == ("- Our sincere apology" if language == "en" else "- Nos sincères excuses")


def test_a_discount_of_ten_percent_reads_ten_percent(soho):
    proposal = ProposalFactory(case=CaseFactory(location=soho, customer=CustomerFactory(home_location=soho)))
    ProposalLineFactory(proposal=proposal, kind="discount", face_value=Decimal("6"), percent=Decimal("10.00"))
    said = remedy_details(proposal.lines.all(), "en")
    assert "10%" in said and "E+" not in said
