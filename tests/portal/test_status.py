"""Every message to the customer is true of their case as it is: the page's words follow
the state and what was granted; the satisfaction email asks what the page asks; a link that
no longer works says how to reach the business; mail comes from, and is signed by, the
location as the settings say."""

from datetime import timedelta
from email.utils import parseaddr

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from followups.messages import DEFAULTS
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import followup_send
from followups.tasks import decision_email_send_task
from portal import status
from portal.forms import SatisfactionForm
from portal.status import status_words
from tests.factories import ProposalFactory, ProposalLineFactory, decided
from tests.portal.conftest import link_to

STATES = ["open", "in_recovery", "awaiting_approval", "remedy_delivered", "following_up", "closed"]


# --- the rule ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "granted", "delivered", "sentence", "steps", "current", "no_remedies"),
    [
        ("open", 0, 0, "We are looking into what happened", 4, 0, status.WILL_SHOW),
        ("open", 1, 0, "We are putting it right", 4, 2, ""),
        ("in_recovery", 0, 0, "We are agreeing how to put it right", 4, 1, status.WILL_SHOW),
        ("in_recovery", 2, 1, "We are putting it right", 4, 2, ""),
        ("in_recovery", 1, 1, "We have put it right", 4, 2, ""),
        ("awaiting_approval", 0, 0, "We are agreeing how to put it right", 4, 1, status.WILL_SHOW),
        ("awaiting_approval", 1, 0, "We are putting it right", 4, 2, ""),
        # Moved on by staff with nothing granted (a rejected proposal): not "put right".
        ("remedy_delivered", 0, 0, "We are agreeing how to put it right", 4, 1, status.WILL_SHOW),
        ("remedy_delivered", 1, 0, "We are putting it right", 4, 2, ""),
        ("remedy_delivered", 2, 2, "We have put it right", 4, 2, ""),
        ("following_up", 0, 0, "We are agreeing how to put it right", 4, 1, status.WILL_SHOW),
        ("following_up", 1, 1, "We have put it right", 4, 2, ""),
        ("closed", 0, 0, "Your case is closed", 2, 1, status.CLOSED_WITHOUT_REMEDY),
        ("closed", 1, 0, "Your case is closed", 4, 3, ""),
        ("closed", 1, 1, "Your case is closed", 4, 3, ""),
    ],
)
def test_the_words_for_every_state_and_what_was_granted(
    state, granted, delivered, sentence, steps, current, no_remedies
):
    words = status_words(state=state, granted=granted, delivered=delivered)
    assert (words.sentence, len(words.steps), words.current, words.no_remedies) == (
        sentence,
        steps,
        current,
        no_remedies,
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize(("granted", "delivered"), [(0, 0), (1, 0), (2, 1), (2, 2)])
def test_no_state_promises_what_it_contradicts(state, granted, delivered):
    words = status_words(state=state, granted=granted, delivered=delivered)
    # A remedy still to be agreed is promised only while nothing is granted and the case is open.
    assert (words.no_remedies == status.WILL_SHOW) == (granted == 0 and state != "closed")
    # "put it right" only when something was granted and every remedy delivered.
    assert ("have put it right" in words.sentence) == (state != "closed" and granted > 0 and delivered == granted)
    # A step that says something was put right is only reached once something was granted.
    assert (status.PUT_RIGHT in words.steps[: words.current + 1]) <= (granted > 0)


def test_a_state_it_does_not_know_is_refused():
    with pytest.raises(ValueError):
        status_words(state="lost", granted=0, delivered=0)


# --- the customer's page ------------------------------------------------------


def test_a_case_closed_with_no_remedy_does_not_promise_one(client, case):
    case.state, case.outcome, case.closed_at = "closed", "lost", timezone.now()
    case.save()
    page = client.get(link_to(case)).content.decode()
    assert status.WILL_SHOW not in page and status.CLOSED_WITHOUT_REMEDY in page
    assert "Put right" not in page and "Agreeing a remedy" not in page


def test_the_page_says_how_to_reach_the_location(client, case, settings):
    settings.AMENDS_CONTACT_LINE = "Write to hello@example.com"
    assert "Write to hello@example.com" in client.get(link_to(case)).content.decode()
    case.location.contact_line = "Call Soho on 020 7946 0958"
    case.location.save()
    page = client.get(link_to(case)).content.decode()
    assert "Call Soho on 020 7946 0958" in page and "hello@example.com" not in page


# --- links that no longer work -------------------------------------------------


def test_an_expired_link_gives_the_locations_contact(client, case, settings):
    case.location.contact_line = "Call 020 7946 0958"
    case.location.save()
    link = link_to(case)
    with time_machine.travel(timezone.now() + timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS + 1)):
        response = client.get(link)
    assert response.status_code == 410
    assert "To reach us: Call 020 7946 0958" in response.content.decode()


def test_an_altered_link_gives_the_contact_from_the_settings_or_says_to_reply(client, case, settings):
    altered = link_to(case).rstrip("/") + "x/"
    page = client.get(altered).content.decode()
    assert "get in touch" not in page and "Reply to the email we sent you" in page
    settings.AMENDS_CONTACT_LINE = "Write to hello@example.com"
    assert "To reach us: Write to hello@example.com" in client.get(altered).content.decode()


# --- what the messages say, and who from ----------------------------------------


NUMBERS = {1: "One", 2: "Two", 3: "Three"}


def test_the_satisfaction_email_asks_as_many_questions_as_the_page():
    questions = sum(field.required for field in SatisfactionForm().fields.values())
    body = DEFAULTS[Purpose.SATISFACTION_CHECK].body
    assert f"{NUMBERS[questions]} quick question" in body
    assert [word for word in NUMBERS.values() if f"{word} " in body] == [NUMBERS[questions]]


def test_the_satisfaction_email_does_not_claim_a_remedy(case):
    body = DEFAULTS[Purpose.SATISFACTION_CHECK].body
    assert "put right" not in body and "closed your case" in body


def send(case, purpose: str):
    kind = "satisfaction_check" if purpose == "satisfaction_check" else "customer_message"
    followup = FollowUp.objects.create(
        case=case, kind=kind, purpose=purpose, channel="email", subject="s", body="A refund of £20.",
        due_at=timezone.now() - timedelta(minutes=1),
    )  # fmt: skip
    assert followup_send(followup_id=followup.pk)
    return mail.outbox[-1]


@pytest.fixture
def consenting(case):
    case.customer.contact_consent = True
    case.customer.save()
    return case


@pytest.mark.parametrize("purpose", ["remedy_message", "corrective_message", "satisfaction_check"])
def test_mail_to_a_customer_comes_from_the_location_and_is_signed_with_its_contact(consenting, purpose, settings):
    settings.DEFAULT_FROM_EMAIL = "Amends <no-reply@example.com>"
    location = consenting.location
    location.sender_name, location.sender_email = "The Soho Kitchen", "soho@example.com"
    location.contact_line = "Call 020 7946 0958"
    location.save()
    message = send(consenting, purpose)
    assert parseaddr(message.from_email) == ("The Soho Kitchen", "soho@example.com")
    assert message.body.rstrip().endswith("The Soho Kitchen\nCall 020 7946 0958")


def test_without_its_own_sender_a_location_sends_in_its_name_from_the_default_address(consenting, settings):
    settings.DEFAULT_FROM_EMAIL = "Amends <no-reply@example.com>"
    settings.AMENDS_CONTACT_LINE = "Write to hello@example.com"
    message = send(consenting, "remedy_message")
    assert parseaddr(message.from_email) == (consenting.location.name, "no-reply@example.com")
    assert message.body.rstrip().endswith(f"{consenting.location.name}\nWrite to hello@example.com")


def test_mail_to_staff_still_comes_from_the_app(consenting, frontline, manager, settings):
    settings.DEFAULT_FROM_EMAIL = "Amends <no-reply@example.com>"
    consenting.location.sender_email = "soho@example.com"
    consenting.location.save()
    proposal = ProposalFactory(case=consenting, proposed_by=frontline, decided_by=manager)
    ProposalLineFactory(proposal=proposal)
    decision_email_send_task(decided(proposal).pk)
    assert mail.outbox[-1].from_email == "Amends <no-reply@example.com>"
