import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from portal.forms import RATING_NEEDED
from portal.models import SatisfactionResponse
from portal.services import COMMENT_TOO_LONG
from portal.views import THANK_YOU
from privacy.services import customer_anonymise
from tests.factories import (
    CaseFactory,
    ProposalFactory,
    ProposalLineFactory,
    SatisfactionResponseFactory,
    SentCustomerMessageFactory,
    staff,
)
from tests.portal.conftest import link_to

ANSWER = {"rating": "4", "will_return": "yes", "comment": "Thank you for the call."}


def text_of(response) -> str:
    return response.content.decode()


def assert_shows_nothing_of(response, case) -> None:
    page = text_of(response)
    for private in (case.customer.first_name, case.customer.name, case.reference, case.location.name, "Delay"):
        assert private not in page


def assert_private(response) -> None:
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex"


# --- refusals ---------------------------------------------------------------


@pytest.mark.parametrize(
    "alter", [lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"), lambda t: "x" + t, lambda t: "nonsense"]
)
def test_an_altered_link_gets_a_clear_page_and_no_data(client, case, link, alter):
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.get(f"/c/{alter(token)}/")
    assert response.status_code == 404
    assert "This link is not valid" in text_of(response)
    assert_shows_nothing_of(response, case)
    assert_private(response)


def test_a_link_to_another_case_cannot_be_made_by_changing_the_number(client, case):
    from django.core import signing

    token = signing.dumps({"case": case.pk}, salt="something else", compress=True)
    response = client.get(f"/c/{token}/")
    assert response.status_code == 404
    assert_shows_nothing_of(response, case)


def test_an_expired_link_gets_a_clear_page_and_no_data(client, case, link, settings):
    with time_machine.travel(timezone.now() + timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS, minutes=1)):
        response = client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in text_of(response)
    assert_shows_nothing_of(response, case)
    assert_private(response)


def test_a_link_still_works_on_its_last_day(client, link, settings):
    with time_machine.travel(timezone.now() + timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS, minutes=-1)):
        assert client.get(link).status_code == 200


def test_an_expired_link_cannot_answer(client, case, link, settings):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    with time_machine.travel(timezone.now() + timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS + 1)):
        response = client.post(link, ANSWER)
    assert response.status_code == 410
    assert not SatisfactionResponse.objects.exists()


def test_the_link_of_an_anonymised_customer_is_no_longer_available(client, case, link, owner):
    customer_name = case.customer.name
    customer_anonymise(customer=case.customer, actor=owner)
    response = client.get(link)
    assert response.status_code == 410
    assert "no longer available" in text_of(response)
    page = text_of(response)
    assert customer_name.split()[0] not in page and case.reference not in page and case.location.name not in page


def test_a_deleted_case_is_no_longer_available(client, case, link):
    case.events.all().delete()
    case.delete()
    assert client.get(link).status_code == 410


# --- what the page shows ----------------------------------------------------


def test_only_the_first_name_and_the_case_facts_show(client, case, link, manager):
    ProposalLineFactory(
        proposal=ProposalFactory(case=case, cost=Decimal("31.17"), decided_by=manager),
        kind="gift_card",
        face_value=Decimal("25.00"),
        cost=Decimal("13.33"),
    )
    response = client.get(link)
    assert response.status_code == 200
    assert_private(response)
    page = text_of(response)
    assert "Hello Alice" in page
    assert case.reference in page and "Soho" in page and "Delay or long wait" in page
    customer, creator = case.customer, case.created_by
    for private in (
        "Moreno",
        customer.email,
        "7700",
        case.description,
        "Taxi",
        "12.50",
        "13.33",
        "31.17",
        creator.username,
        creator.last_name,
        manager.username,
        manager.last_name,
    ):
        assert private not in page, private


@pytest.mark.parametrize(
    ("state", "words"),
    [
        ("open", "We are looking into what happened"),
        ("in_recovery", "We are agreeing how to put it right"),
        ("awaiting_approval", "We are agreeing how to put it right"),
        ("remedy_delivered", "We have put it right"),
        ("following_up", "We have put it right"),
        ("closed", "Your case is closed"),
    ],
)
def test_the_state_is_said_in_plain_words(client, soho, customer, state, words):
    closed = {"outcome": "retained", "closed_at": timezone.now()} if state == "closed" else {}
    case = CaseFactory(location=soho, customer=customer, state=state, **closed)
    if state in ("remedy_delivered", "following_up"):  # what those states say is true only of a delivered remedy
        ProposalLineFactory(proposal=ProposalFactory(case=case, state="delivered"), delivered_at=timezone.now())
    page = text_of(client.get(link_to(case)))
    assert words in page
    assert re.search(r'aria-current="step"', page)


def test_remedies_show_what_and_how_much_and_whether_delivered(client, case, link):
    proposal = ProposalFactory(case=case)
    ProposalLineFactory(proposal=proposal, kind="partial_refund", face_value=Decimal("20.00"), position=0)
    ProposalLineFactory(
        proposal=proposal, kind="discount", face_value=Decimal("6"), percent=Decimal("15.00"), position=1
    )
    ProposalLineFactory(
        proposal=proposal,
        kind="handwritten_card",
        face_value=Decimal("3.00"),
        position=2,
        delivered_at=timezone.now(),
    )
    refused = ProposalFactory(case=case, state="rejected")
    ProposalLineFactory(proposal=refused, kind="full_refund", face_value=Decimal("40.00"))
    page = text_of(client.get(link))
    assert "Partial refund" in page and "£20.00" in page
    assert "Discount on a future purchase" in page and "15%" in page
    assert "Handwritten card" in page and "£3.00" not in page
    assert page.count("On its way") == 2 and page.count("Done ") == 1
    assert "Full refund" not in page and "£40.00" not in page


def test_a_french_customer_reads_amounts_and_percentages_as_french_writes_them(client, case, link):
    case.customer.language = "fr"
    case.customer.save()
    proposal = ProposalFactory(case=case)
    ProposalLineFactory(proposal=proposal, kind="partial_refund", face_value=Decimal("1234.50"), position=0)
    ProposalLineFactory(
        proposal=proposal, kind="discount", face_value=Decimal("6"), percent=Decimal("12.50"), position=1
    )
    page = text_of(client.get(link))
    assert "1\u00a0234,50\u00a0£" in page and "12,5%" in page
    assert "£1,234.50" not in page


def test_what_we_changed_shows_the_corrective_messages_that_were_sent(client, case, link):
    SentCustomerMessageFactory(case=case, purpose="corrective_message", body="We now confirm every booking by text.")
    SentCustomerMessageFactory(
        case=case,
        purpose="corrective_message",
        body="Not sent yet: a new booking system.",
        state="scheduled",
        sent_at=None,
    )
    page = text_of(client.get(link))
    assert "We now confirm every booking by text." in page
    assert "a new booking system" not in page


def test_the_page_reads_a_fixed_number_of_queries(client, case, link, django_assert_max_num_queries):
    def measure():
        with django_assert_max_num_queries(100) as queries:
            assert client.get(link).status_code == 200
        return len(queries)

    SentCustomerMessageFactory(case=case, purpose="corrective_message", body="Change 1")
    ProposalLineFactory(proposal=ProposalFactory(case=case), kind="gift_card")
    few = measure()
    for number in range(8):
        SentCustomerMessageFactory(case=case, purpose="corrective_message", body=f"Change {number + 2}")
        ProposalLineFactory(proposal=ProposalFactory(case=case), kind="partial_refund")
    assert measure() == few
    assert few <= 4


# --- the satisfaction check -------------------------------------------------


def test_no_rating_form_before_the_satisfaction_check_is_sent(client, case, link):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check", state="scheduled", sent_at=None)
    page = text_of(client.get(link))
    assert 'name="rating"' not in page


def test_the_rating_form_shows_once_the_check_was_sent(client, case, link):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    page = text_of(client.get(link))
    assert "How well did we put things right?" in page
    assert page.count('name="rating"') == 5 and page.count('name="will_return"') == 3
    assert "<legend" in page and 'for="id_rating_0"' in page


def test_the_answer_given_shows_instead_of_the_form(client, soho, customer):
    response = SatisfactionResponseFactory(
        case__location=soho, case__customer=customer, rating=2, will_return="not_sure", comment="Still cross."
    )
    SentCustomerMessageFactory(case=response.case, purpose="satisfaction_check")
    page = text_of(client.get(link_to(response.case)))
    assert 'name="rating"' not in page
    assert "Your answer" in page and "poorly" in page and "Still cross." in page


def test_posting_an_answer_thanks_once_and_keeps_one_response(client, case, link):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    first = client.post(link, ANSWER, follow=True)
    second = client.post(link, ANSWER, follow=True)
    assert first.redirect_chain == [(link, 303)] and second.redirect_chain == [(link, 303)]
    assert THANK_YOU in text_of(first)
    assert THANK_YOU not in text_of(second)
    assert "Your answer" in text_of(second)
    response = SatisfactionResponse.objects.get()
    assert (response.case, response.rating, response.will_return) == (case, 4, "yes")


def test_bad_input_is_shown_next_to_the_field_with_what_was_typed(client, case, link):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    response = client.post(link, {"will_return": "no", "comment": "Cold food again"})
    assert response.status_code == 200
    page = text_of(response)
    assert RATING_NEEDED in page
    assert 'id="rating-error"' in page and 'aria-describedby="rating-error"' in page
    assert re.search(r'value="no" checked', page)
    assert "Cold food again</textarea>" in page
    assert not SatisfactionResponse.objects.exists()


def test_a_comment_too_long_is_refused_next_to_it(client, case, link):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    response = client.post(link, {**ANSWER, "comment": "y" * 1001})
    assert COMMENT_TOO_LONG.format(length="1,001") in text_of(response)
    assert not SatisfactionResponse.objects.exists()


def test_answering_before_being_asked_is_refused_in_plain_words(client, case, link):
    response = client.post(link, ANSWER)
    assert response.status_code == 200
    assert "We have not asked you about this yet" in text_of(response)
    assert not SatisfactionResponse.objects.exists()


def test_a_low_rating_from_the_page_tells_the_manager(client, case, link, manager):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    client.post(link, {**ANSWER, "rating": "1", "will_return": "no"})
    assert manager.notifications.filter(text__contains="still unhappy").exists()


def test_the_answer_works_with_csrf_checks_on_using_the_cookie(case, link):
    SentCustomerMessageFactory(case=case, purpose="satisfaction_check")
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(link, ANSWER).status_code == 403
    page = browser.get(link)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text_of(page)).group(1)
    assert "csrftoken" in browser.cookies
    response = browser.post(link, {**ANSWER, "csrfmiddlewaretoken": token})
    assert response.status_code == 303
    assert SatisfactionResponse.objects.filter(case=case).exists()


# --- rate limits ------------------------------------------------------------


def test_reading_is_rate_limited_by_address(client, link, case):
    for _ in range(30):
        assert client.get(link).status_code == 200
    limited = client.get(link)
    assert limited.status_code == 429
    assert "Please wait a moment" in text_of(limited)
    assert limited["Retry-After"] == "60"
    assert_shows_nothing_of(limited, case)
    assert_private(limited)
    # Another address is not held back.
    assert client.get(link, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_answering_is_rate_limited_by_address(client, case, link):
    for _ in range(10):
        assert client.post(link, {"rating": "9"}).status_code == 200
    assert client.post(link, ANSWER).status_code == 429
    assert not SatisfactionResponse.objects.exists()


def test_guessing_links_is_rate_limited_too(client):
    for number in range(30):
        assert client.get(f"/c/guess-{number}/").status_code == 404
    assert client.get("/c/guess-last/").status_code == 429


def test_staff_signed_in_see_the_same_customer_page(case, link, frontline):
    signed_in = Client()
    signed_in.force_login(staff(Role.MANAGER, case.location))
    assert "Hello Alice" in text_of(signed_in.get(link))
