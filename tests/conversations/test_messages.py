"""Writing to the customer from the case: refused where it cannot reach them, placeholders
filled in, sent once through the follow-ups (retried, failed after its attempts), on the
timeline with its delivery state, and the first contact when it is the first."""

import uuid
from datetime import timedelta
from smtplib import SMTPException

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import Role
from cases.models import Event
from cases.reply_tokens import case_from_reply_address
from conversations import services
from conversations.models import SavedReply
from core.exceptions import ApplicationError
from followups import channels
from followups import services as followup_services
from followups.models import FollowUp
from followups.tasks import followups_dispatch_task
from privacy.services import customer_anonymise
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, staff

NOW = timezone.now
REFUSED = "421 try again later"
WORDS = "Dear {{ first_name }},\n\nAbout {{ reference }}: we are sorry.\n\n{{ signature }}"


@pytest.fixture
def case(soho, frontline, customer):
    return CaseFactory(location=soho, customer=customer, created_by=frontline, first_contact_at=None)


def send(case, actor, *, channel="email", subject="Sorry, {{ first_name }}", body=WORDS, token=None, **extra):
    return services.message_send(
        case=case,
        actor=actor,
        channel=channel,
        subject=subject,
        body=body,
        submission_token=token or uuid.uuid4(),
        **extra,
    )


def test_a_message_is_a_follow_up_due_now_with_the_placeholders_filled_in(case, frontline):
    followup = send(case, frontline)
    assert (followup.purpose, followup.kind, followup.channel, followup.state) == (
        "staff_message",
        "customer_message",
        "email",
        "scheduled",
    )
    assert followup.due_at <= timezone.now() and followup.created_by == frontline
    assert followup.subject == "Sorry, Alice"
    assert followup.body.startswith(f"Dear Alice,\n\nAbout {case.reference}: we are sorry.")
    assert "{{" not in followup.body and case.location.name in followup.body


def test_the_timeline_says_a_message_was_written_with_its_subject_and_channel(case, frontline):
    followup = send(case, frontline)
    event = Event.objects.get(case=case, kind=Event.Kind.MESSAGE_CREATED)
    assert event.actor == frontline
    assert event.payload == {
        "followup_id": followup.pk,
        "channel": "email",
        "subject": "Sorry, Alice",
        "saved_reply_id": None,
    }
    assert event.note == "“Sorry, Alice”, by email."
    # Not also a "follow-up planned" line: the message is its own entry.
    assert not Event.objects.filter(case=case, kind=Event.Kind.FOLLOWUP_PLANNED).exists()


def test_the_same_submit_twice_writes_one_message(case, frontline):
    token = uuid.uuid4()
    first, second = send(case, frontline, token=token), send(case, frontline, token=token)
    assert first.pk == second.pk
    assert FollowUp.objects.filter(case=case).count() == 1
    assert Event.objects.filter(case=case, kind=Event.Kind.MESSAGE_CREATED).count() == 1


def test_a_customer_who_has_not_agreed_to_be_contacted_is_not_written_to(case, frontline):
    case.customer.contact_consent = False
    case.customer.save()
    with pytest.raises(ApplicationError) as refused:
        send(case, frontline)
    assert refused.value.message == services.NO_CONSENT
    assert not FollowUp.objects.filter(case=case).exists()


@pytest.mark.parametrize(("channel", "blank", "reason"), [("email", "email", "NO_EMAIL"), ("sms", "phone", "NO_PHONE")])
def test_a_channel_the_customer_has_no_address_for_is_refused_on_the_channel(case, frontline, channel, blank, reason):
    setattr(case.customer, blank, "")
    case.customer.save()
    with pytest.raises(ApplicationError) as refused:
        send(case, frontline, channel=channel)
    assert (refused.value.message, refused.value.field) == (getattr(services, reason), "channel")


def test_an_unknown_placeholder_is_refused_on_its_field(case, frontline):
    with pytest.raises(ApplicationError) as refused:
        send(case, frontline, body="Dear {{ firstname }}")
    assert refused.value.field == "body" and "{{ firstname }}" in refused.value.message


def test_someone_from_another_location_cannot_write_on_the_case(case, camden):
    outsider = staff(Role.FRONTLINE, camden)
    with pytest.raises(ApplicationError, match="location you do not work at"):
        send(case, outsider)


def test_sent_by_the_follow_ups_sender_once_with_the_reply_address_of_the_case(
    case, frontline, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        followup = send(case, frontline)
    followup.refresh_from_db()
    assert followup.state == "sent"
    [email] = mail.outbox
    assert email.to == [case.customer.email] and email.subject == "Sorry, Alice"
    assert email.body == followup.body + "\n"
    assert case_from_reply_address(email.reply_to[0]) == case.pk
    # The sweep finds nothing more to send: it went once.
    assert followups_dispatch_task() == 0 and len(mail.outbox) == 1
    sent = Event.objects.get(case=case, kind=Event.Kind.FOLLOWUP_SENT)
    assert sent.payload == {"followup_id": followup.pk, "purpose": "staff_message", "channel": "email"}
    assert sent.note == "A message from staff: sent by email."


def test_a_text_message_carries_the_same_words(case, frontline, settings, django_capture_on_commit_callbacks):
    settings.AMENDS_SMS_BACKEND = "locmem"
    channels.sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        followup = send(case, frontline, channel="sms")
    [text] = channels.sms_outbox
    assert (text.to, text.text, text.reply_to) == (case.customer.phone, followup.body + "\n", "")


def test_the_first_message_sent_is_the_first_contact_and_cancels_its_escalation(case, frontline):
    followup_services.followups_plan_opened_case(case=case, now=timezone.now())
    assert FollowUp.objects.filter(case=case, purpose="first_contact_escalation", state="scheduled").exists()
    followup = send(case, frontline)
    case.refresh_from_db()
    assert case.first_contact_at is None  # written is not yet heard
    sent_at = timezone.now()
    assert followup_services.followup_send(followup_id=followup.pk, now=sent_at)
    case.refresh_from_db()
    assert case.first_contact_at == sent_at
    contact = Event.objects.get(case=case, kind=Event.Kind.CASE_CONTACT_MADE)
    assert contact.actor == frontline and contact.payload == {"first_contact": True}
    assert contact.note == "First contact: a message from staff was sent by email."
    assert FollowUp.objects.get(case=case, purpose="first_contact_escalation").state == "cancelled"


def test_a_later_message_leaves_the_first_contact_as_it_was(case, frontline):
    earlier = timezone.now() - timedelta(hours=3)
    case.first_contact_at = earlier
    case.save()
    followup_services.followup_send(followup_id=send(case, frontline).pk)
    case.refresh_from_db()
    assert case.first_contact_at == earlier
    assert not Event.objects.filter(case=case, kind=Event.Kind.CASE_CONTACT_MADE).exists()


def test_a_message_template_sent_is_not_a_first_contact(case):
    followup = FollowUp.objects.create(
        case=case, kind="customer_message", purpose="remedy_message", channel="email", subject="x", due_at=NOW()
    )
    assert followup_services.followup_send(followup_id=followup.pk)
    case.refresh_from_db()
    assert case.first_contact_at is None


def test_a_refused_mail_is_retried_then_failed_and_the_timeline_shows_it(
    case, frontline, manager, monkeypatch, settings
):
    settings.AMENDS_FOLLOWUP_RETRY_SECONDS = 10 * 60  # retried for ten minutes here, a day by default
    followup = send(case, frontline)

    def refuse(*args, **kwargs):
        raise SMTPException(REFUSED)

    monkeypatch.setattr("followups.services.sending.send_email", refuse)
    at = timezone.now()
    while followup.state == "scheduled":
        assert followup_services.followup_claim_due(now=at) == [followup.pk]
        with pytest.raises(SMTPException):
            followup_services.followup_send(followup_id=followup.pk, now=at)
        followup = followup_services.followup_record_failure(followup_id=followup.pk, error=REFUSED, now=at)
        at = (followup.claimed_until or at) + timedelta(seconds=1)
    assert followup.state == "failed"
    failed = Event.objects.get(case=case, kind=Event.Kind.FOLLOWUP_FAILED)
    assert failed.payload["purpose"] == "staff_message" and failed.payload["followup_id"] == followup.pk
    case.refresh_from_db()
    assert case.first_contact_at is None  # a message that never went reached nobody


def test_a_saved_reply_of_another_location_or_retired_is_not_offered(case, frontline, owner):
    elsewhere = SavedReply.objects.create(title="x", subject="x", body="x", location=LocationFactory())
    retired = SavedReply.objects.create(title="y", subject="y", body="y", is_active=False)
    for reply in (elsewhere, retired):
        with pytest.raises(ApplicationError) as refused:
            send(case, frontline, saved_reply_id=reply.pk)
        assert refused.value.field == "saved_reply"
    here = SavedReply.objects.create(title="z", subject="z", body="z", location=case.location)
    followup = send(case, frontline, saved_reply_id=here.pk)
    assert Event.objects.get(kind=Event.Kind.MESSAGE_CREATED).payload["saved_reply_id"] == here.pk
    assert followup.subject == "Sorry, Alice"  # what staff sent, whatever the reply said


def test_a_saved_reply_in_a_language_the_customer_does_not_read_is_refused(case, frontline):
    french = SavedReply.objects.create(title="x", subject="x", body="x", location=case.location, language="fr")
    assert case.customer.language == "en"
    with pytest.raises(ApplicationError, match=services.REPLY_NOT_HERE) as refused:
        send(case, frontline, saved_reply_id=french.pk)
    assert refused.value.field == "saved_reply"
    assert not FollowUp.objects.filter(case=case).exists()


def test_the_check_the_preview_makes_is_the_one_sending_makes(case, frontline):
    here = SavedReply.objects.create(title="z", subject="z", body="z", location=case.location)
    check = services.message_check
    assert check(case=case, actor=frontline, channel="email", saved_reply_id=here.pk) == here
    assert check(case=case, actor=frontline, channel="email", saved_reply_id=None) is None
    SavedReply.objects.filter(pk=here.pk).update(is_active=False)
    with pytest.raises(ApplicationError, match=services.REPLY_NOT_HERE):
        check(case=case, actor=frontline, channel="email", saved_reply_id=here.pk)
    elsewhere = staff(Role.FRONTLINE, LocationFactory())
    with pytest.raises(ApplicationError, match=services.NOT_YOUR_LOCATION):
        check(case=case, actor=elsewhere, channel="email", saved_reply_id=None)


def test_a_message_too_long_once_filled_in_is_refused(case, frontline):
    with pytest.raises(ApplicationError, match="too long"):
        send(case, frontline, body="{{ link }}" * 300)


def test_erasing_the_customer_blanks_what_was_written_to_them(case, frontline, owner):
    followup = send(case, frontline)
    followup_services.followup_send(followup_id=followup.pk)
    customer_anonymise(customer=case.customer, actor=owner)
    event = Event.objects.get(case=case, kind=Event.Kind.MESSAGE_CREATED)
    assert "Alice" not in event.note and "Alice" not in str(event.payload)
    followup.refresh_from_db()
    assert "Alice" not in followup.subject + followup.body


def test_another_customer_reads_their_own_details(soho, frontline):
    other = CaseFactory(location=soho, customer=CustomerFactory(name="Bob Stone", home_location=soho))
    assert send(other, frontline).subject == "Sorry, Bob"
