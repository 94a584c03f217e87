"""inbound_mail_receive: each message decided once, in one transaction, and never answered."""

from datetime import timedelta

import pytest
from django.core import mail as outbox
from django.utils import timezone

from accounts.roles import Role
from attachments.models import Attachment
from cases.models import Case, Event
from cases.reply_tokens import reply_token
from core.models import Notification
from followups.models import FollowUp
from inbox.models import InboundMessage
from inbox.services import NOWHERE, inbound_mail_receive
from privacy.services import customer_anonymise
from tests.factories import CaseFactory, CustomerFactory, SentCustomerMessageFactory, staff
from tests.inbox.mail import load

pytestmark = pytest.mark.django_db
Outcome = InboundMessage.Outcome


def receive(raw: bytes, **kwargs) -> InboundMessage:
    return inbound_mail_receive(raw=raw, route="imap", **kwargs)


def replies(case: Case) -> list[Event]:
    return list(case.events.filter(kind="customer.replied"))


def message(*, to: str, sender: str = "alice@example.com", headers: str = "", body: str = "Still broken.") -> bytes:
    return (
        f"From: Alice Moreno <{sender}>\r\nTo: {to}\r\nSubject: Re: your message\r\n"
        f"Message-ID: <m-{abs(hash((to, sender, headers, body)))}@example.com>\r\n{headers}\r\n{body}\r\n"
    ).encode()


def test_a_reply_by_its_reply_address_is_put_on_the_case_trimmed(case, assignee):
    inbound = receive(load("gmail_reply", TOKEN=reply_token(case.pk)))
    assert (inbound.outcome, inbound.case, inbound.route) == (Outcome.ATTACHED, case, "imap")
    (entry,) = replies(case)
    assert entry.actor is None
    assert entry.payload["text"].startswith("Thank you, the replacement arrived")
    assert "We are sorry about the kettle" not in entry.payload["text"]
    assert "We are sorry about the kettle" in entry.payload["quoted"]
    assert entry.payload["from_address_on_file"] is True
    assert entry.payload["inbound_id"] == inbound.pk
    assert Notification.objects.filter(user=assignee, text__contains=case.reference).count() == 1
    assert outbox.outbox == []


def test_a_reply_found_by_its_references_alone(case):
    token = reply_token(case.pk)
    inbound = receive(message(to="soho@example.com", headers=f"References: <case-{token}@amends>\r\n"))
    assert (inbound.outcome, inbound.case) == (Outcome.ATTACHED, case)
    assert len(replies(case)) == 1


def test_a_made_up_token_finds_no_case(case):
    token = reply_token(case.pk)
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    inbound = receive(message(to=f"reply+{forged}@replies.example.com"))
    assert (inbound.outcome, inbound.case, inbound.reason) == (Outcome.REJECTED, None, NOWHERE)
    assert replies(case) == []


def test_a_followups_message_id_finds_its_case_only_from_the_customer_on_file(case):
    followup = SentCustomerMessageFactory(case=case)
    headers = f"In-Reply-To: <followup-{followup.pk}@amends>\r\n"
    assert receive(message(to="soho@example.com", headers=headers)).case == case
    # The id is guessable: from anyone else it names no case.
    stranger = receive(message(to="soho@example.com", headers=headers, sender="mallory@example.net"))
    assert (stranger.outcome, stranger.case) == (Outcome.REJECTED, None)


def test_a_reply_from_an_address_not_on_file_is_kept_and_flagged(case):
    inbound = receive(message(to=f"reply+{reply_token(case.pk)}@replies.example.com", sender="alice.work@example.org"))
    assert (inbound.outcome, inbound.from_address_on_file) == (Outcome.ATTACHED, False)
    (entry,) = replies(case)
    assert entry.payload["from_address_on_file"] is False
    assert "an address not on file" in entry.note


def test_a_reply_with_no_assignee_tells_the_locations_managers(soho, customer):
    manager = staff(Role.MANAGER, soho, username="maya")
    case = CaseFactory(location=soho, customer=customer, assignee=None)
    receive(message(to=f"reply+{reply_token(case.pk)}@replies.example.com"))
    assert Notification.objects.filter(user=manager, text__contains=case.reference).exists()


def test_attachments_are_kept_on_the_case_from_email(case):
    receive(load("with_attachment", TOKEN=reply_token(case.pk)))
    (attachment,) = Attachment.objects.filter(case=case)
    assert (attachment.source, attachment.content_type, attachment.uploaded_by) == ("email", "image/png", None)
    (entry,) = replies(case)
    assert entry.payload["attachment_ids"] == [attachment.pk]


def closed(case: Case, days: int) -> Case:
    case.state, case.outcome = "closed", "retained"
    case.closed_at = timezone.now() - timedelta(days=days, hours=1)
    case.save()
    return case


def test_a_reply_to_a_case_closed_3_days_ago_reopens_it_and_says_why(case):
    closed(case, 3)
    inbound = receive(message(to=f"reply+{reply_token(case.pk)}@replies.example.com"))
    case.refresh_from_db()
    assert (inbound.outcome, case.state, case.closed_at) == (Outcome.REOPENED, "in_recovery", None)
    change = case.events.get(kind="case.state_changed")
    assert change.note == "The customer wrote back. Closed 3 days ago (within 14 days): reopened."
    assert len(replies(case)) == 1


def test_a_reply_to_a_case_closed_40_days_ago_opens_a_new_case_linked_to_it(case, settings):
    settings.AMENDS_INBOUND_REOPEN_DAYS = 14
    closed(case, 40)
    inbound = receive(message(to=f"reply+{reply_token(case.pk)}@replies.example.com"))
    case.refresh_from_db()
    assert case.state == "closed"
    new = inbound.case
    assert (inbound.outcome, new.follows, new.state, new.channel) == (Outcome.LINKED, case, "open", "email")
    assert new.customer == case.customer
    logged = new.events.get(kind="case.logged")
    assert f"{case.reference} closed 40 days ago (more than 14 days): a new case, linked." in logged.note
    assert len(replies(new)) == 1 and replies(case) == []


def test_mail_to_a_locations_address_from_a_stranger_opens_an_open_case(soho):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    inbound = receive(load("html_only"))
    case = inbound.case
    assert (inbound.outcome, case.state, case.channel, case.location) == (Outcome.OPENED, "open", "email", soho)
    assert case.customer.email == "erin@example.com" and case.customer.name == "Erin Park"
    assert case.description.startswith("Cold food again\n\nMy order arrived cold")
    assert case.created_by is None and case.events.get(kind="case.logged").actor is None
    assert len(replies(case)) == 1
    assert outbox.outbox == []


def test_a_known_customer_writing_to_a_locations_address_is_found_not_duplicated(soho):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    known = CustomerFactory(home_location=soho, email="erin@example.com", name="Erin Park")
    assert receive(load("html_only")).case.customer == known


def test_mail_to_no_case_and_no_location_is_rejected_with_the_reason(soho):
    inbound = receive(load("html_only"))
    assert (inbound.outcome, inbound.case, inbound.reason) == (Outcome.REJECTED, None, NOWHERE)
    assert Case.objects.count() == 0


def test_an_auto_reply_is_recorded_never_answered_nor_put_on_the_timeline(case):
    before = case.events.count()
    inbound = receive(load("auto_reply", TOKEN=reply_token(case.pk)))
    assert (inbound.outcome, inbound.case) == (Outcome.AUTO_REPLY, case)
    assert "Auto-Submitted" in inbound.reason
    assert case.events.count() == before
    assert outbox.outbox == [] and not FollowUp.objects.filter(case=case).exists()


def test_fault_looping_message_from_our_own_address_makes_no_entry_and_no_mail(case, soho):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    before = Event.objects.count()
    looping = message(to="soho-complaints@example.com", sender="amends@example.com")
    tagged = message(to=f"reply+{reply_token(case.pk)}@replies.example.com", headers="X-Loop: amends@example.com\r\n")
    for raw in (looping, tagged, looping, tagged):
        assert receive(raw).outcome == Outcome.LOOP
    assert InboundMessage.objects.count() == 2
    assert Event.objects.count() == before and Case.objects.count() == 1
    assert outbox.outbox == []


def test_a_mailing_lists_mail_to_a_locations_address_opens_no_case(soho):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    inbound = receive(load("mailing_list"))
    assert (inbound.outcome, inbound.location) == (Outcome.AUTO_REPLY, soho)
    assert Case.objects.count() == 0


def test_a_bounce_marks_the_followup_it_names_failed_and_answers_nothing(case, soho):
    manager = staff(Role.MANAGER, soho, username="maya")
    followup = SentCustomerMessageFactory(case=case)
    inbound = receive(load("bounce", FOLLOWUP=str(followup.pk)))
    followup.refresh_from_db()
    assert (inbound.outcome, inbound.case, followup.state) == (Outcome.BOUNCE, case, "failed")
    assert "User unknown" in followup.last_error
    assert case.events.filter(kind="followup.failed").count() == 1
    assert Notification.objects.filter(user=manager, text__contains="bounced").exists()
    assert outbox.outbox == []


def test_a_bounce_naming_nothing_we_sent_is_recorded_only(case):
    inbound = receive(load("bounce", FOLLOWUP="999999"))
    assert (inbound.outcome, inbound.case) == (Outcome.BOUNCE, None)


def test_fault_duplicate_message_delivered_twice_makes_one_timeline_entry(case):
    raw = load("gmail_reply", TOKEN=reply_token(case.pk))
    first = receive(raw)
    second = inbound_mail_receive(raw=raw, route="webhook")
    assert second.pk == first.pk and second.route == "imap"
    assert InboundMessage.objects.count() == 1
    assert len(replies(case)) == 1
    assert Notification.objects.filter(text__contains=case.reference).count() == 1


def test_the_same_new_problem_twice_opens_one_case(soho):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    receive(load("html_only"))
    receive(load("html_only"))
    assert Case.objects.count() == 1


@pytest.mark.parametrize("raw", [b"", b"\x00\xff garbage without headers", b"From: <<<\r\n\r\n\xff\xfe"])
def test_malformed_mail_is_recorded_as_rejected_never_raised(raw):
    inbound = receive(raw)
    assert inbound.outcome == Outcome.REJECTED and inbound.reason


def test_oversized_mail_is_rejected_and_not_stored(case, settings):
    settings.AMENDS_INBOUND_MAX_BYTES = 1000
    raw = message(to=f"reply+{reply_token(case.pk)}@replies.example.com", body="x" * 2000)
    inbound = receive(raw)
    assert (inbound.outcome, inbound.size, bytes(inbound.raw)) == (Outcome.REJECTED, len(raw), b"")
    assert "Larger than 1,000 bytes" in inbound.reason
    assert replies(case) == []


def test_the_raw_message_is_kept(case):
    raw = load("outlook_reply", TOKEN=reply_token(case.pk))
    assert bytes(receive(raw).raw) == raw


def test_erasing_the_customer_removes_the_mail_they_sent_and_its_words(case, soho):
    receive(load("gmail_reply", TOKEN=reply_token(case.pk)))
    customer_anonymise(customer=case.customer, actor=staff(Role.OWNER))
    inbound = InboundMessage.objects.get()
    assert (bytes(inbound.raw), inbound.sender, inbound.subject) == (b"", "", "")
    (entry,) = replies(case)
    assert "replacement" not in entry.note
    assert "replacement" not in entry.payload["text"] and "kettle" not in entry.payload["quoted"]
    assert "alice" not in entry.payload["from_address"]
