"""Every link in every message is absolute, on the one site address (AMENDS_PUBLIC_URL): a
path such as "/cases/1/" goes nowhere from a mail client or a phone's messages."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.links import absolute_url
from core.services import notify
from followups import channels
from followups.digest import followup_digest_send
from followups.models import FollowUp
from followups.plans import Purpose
from followups.services import followup_send
from followups.tasks import decision_email_send_task
from tests.factories import CaseFactory, ProposalFactory, decided

SITE = "https://amends.example.org/app"
# What a link is in a message: an href, or a word in the plain text that starts with a
# scheme or a slash (a path a person would have to paste somewhere).
HREF = re.compile(r"""href=["']([^"']*)["']""")
WORD_LINK = re.compile(r"(?:(?<=\s)|^)((?:https?://|/)\S+)", re.MULTILINE)


@pytest.fixture(autouse=True)
def site(settings):
    settings.AMENDS_PUBLIC_URL = SITE
    settings.AMENDS_SMS_BACKEND = "locmem"
    channels.sms_outbox.clear()


def links_of(message) -> list[str]:
    """Every link in an email (text and HTML) or a text message."""
    texts = [message.body] if hasattr(message, "body") else [message.text, message.html]
    texts += [content for content, _ in getattr(message, "alternatives", [])]
    found = []
    for text in texts:
        found += HREF.findall(text)
        found += WORD_LINK.findall(HREF.sub("", text))
    return found


def assert_all_absolute(messages, at_least: int = 1) -> None:
    links = [link for message in messages for link in links_of(message)]
    assert len(links) >= at_least, links
    for link in links:
        assert link.startswith(SITE + "/"), f"{link!r} is not on {SITE}"


@pytest.fixture
def case(soho, frontline, customer):
    customer.contact_consent = True
    customer.save()
    return CaseFactory(location=soho, customer=customer, created_by=frontline, assignee=frontline)


def sent(case, **fields) -> FollowUp:
    followup = FollowUp.objects.create(
        case=case, subject="Something to do", due_at=timezone.now() - timedelta(minutes=1), **fields
    )
    assert followup_send(followup_id=followup.pk)
    return followup


def test_the_helper_puts_the_site_before_a_path_and_refuses_what_is_not_one():
    assert absolute_url("/cases/1/") == SITE + "/cases/1/"
    assert absolute_url(SITE + "/x/") == SITE + "/x/"
    with pytest.raises(ValueError):
        absolute_url("cases/1/")


def test_the_decision_on_a_proposal_links_to_the_case(case, frontline, manager):
    proposal = ProposalFactory(case=case, proposed_by=frontline, decided_by=manager, state="approved")
    decision_email_send_task(decided(proposal).pk)
    assert_all_absolute(mail.outbox, at_least=2)
    assert SITE + case.get_absolute_url() in mail.outbox[0].body


@pytest.mark.parametrize("purpose", ["callback_escalation", "delivery_reminder"])
def test_an_emailed_escalation_or_reminder_links_to_the_case(case, manager, frontline, purpose):
    recipient = frontline if purpose == "delivery_reminder" else None
    kind = "staff_reminder" if recipient else "escalation"
    sent(case, kind=kind, purpose=purpose, channel="email", recipient=recipient)
    assert_all_absolute(mail.outbox)


@pytest.mark.parametrize("channel", ["email", "sms"])
@pytest.mark.parametrize("purpose", ["remedy_message", "corrective_message", "satisfaction_check"])
def test_every_message_to_the_customer_links_to_their_page(case, purpose, channel):
    kind = "satisfaction_check" if purpose == "satisfaction_check" else "customer_message"
    sent(case, kind=kind, purpose=purpose, channel=channel, body="We refunded you: see www.example.com/terms.")
    outbox = mail.outbox if channel == "email" else channels.sms_outbox
    assert len(outbox) == 1
    links = links_of(outbox[0])
    assert any(link.startswith(SITE + "/c/") for link in links), links
    # What staff wrote may name another site; nothing Amends adds is a bare path.
    assert [link for link in links if not link.startswith(("http://www.example.com", SITE + "/"))] == []


def test_the_digest_links_every_reminder_notification_and_the_failed_list(case, frontline, manager):
    FollowUp.objects.create(
        case=case, kind="staff_reminder", channel="in_app", recipient=manager, subject="Call back",
        due_at=timezone.now() + timedelta(minutes=5),
    )  # fmt: skip
    FollowUp.objects.create(
        case=case, kind="customer_message", purpose=Purpose.REMEDY_MESSAGE.value, channel="email",
        subject="What we did", due_at=timezone.now(), state="failed",
    )  # fmt: skip
    notify(user=manager, text="SR-000001: your proposal was approved", url=case.get_absolute_url())
    now = timezone.localtime().replace(hour=23, minute=0)
    assert followup_digest_send(user_id=manager.pk, now=now)
    assert_all_absolute(mail.outbox, at_least=6)  # reminder, notification, failed: in text and HTML
    assert SITE + reverse("followups:list") in mail.outbox[0].body


def test_the_password_reset_link_is_on_the_site_not_the_host_that_asked(client, frontline):
    client.post(reverse("password_reset"), {"email": frontline.email}, HTTP_HOST="localhost")
    assert_all_absolute(mail.outbox)
