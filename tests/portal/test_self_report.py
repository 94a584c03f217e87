"""The customer's own report on the location's public page (/report/<report token>/)."""

import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from accounts.roles import Role
from attachments.models import Attachment
from cases.models import Case, Event
from cases.reply_tokens import case_from_references, case_from_reply_address, case_thread_id, reply_token
from cases.services import REPORTED_NOTE
from followups.models import FollowUp
from followups.plans import Purpose
from inbox.models import InboundMessage
from inbox.services import inbound_mail_receive
from portal.acknowledgements import ACKNOWLEDGED_NOTE
from portal.forms import CONSENT_NEEDED, CONTACT_NEEDED
from portal.views import RECEIVED_SALT
from tests.attachments.images import SCRIPT, image_bytes
from tests.conftest import signed_in
from tests.factories import CustomerFactory, staff


@pytest.fixture
def url(soho):
    return reverse("report:form", kwargs={"token": soho.report_token})


def report(**changes) -> dict:
    data = {
        "description": "The ceiling above table 4 dripped on us all evening.",
        "category": "product_quality",
        "name": "Bea Quinn",
        "email": "bea@example.com",
        "phone": "",
        "contact_consent": "on",
        "website": "",
        "submission_token": str(uuid.uuid4()),
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_page_has_the_form_a_csrf_token_and_a_hidden_honeypot(client, url, soho):
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tell us what went wrong" in page and soho.name in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert '<div class="d-none" aria-hidden="true">' in page and 'name="website"' in page
    assert "no-store" in response["Cache-Control"] and response["X-Robots-Tag"] == "noindex"


def test_an_unknown_token_the_locations_code_or_a_closed_location_is_a_404(client, soho):
    assert client.get(reverse("report:form", kwargs={"token": "nowhere"})).status_code == 404
    assert client.get(reverse("report:form", kwargs={"token": soho.code})).status_code == 404  # guessable: not a way in
    soho.is_active = False
    soho.save()
    assert client.get(reverse("report:form", kwargs={"token": soho.report_token})).status_code == 404


def test_a_report_logs_an_open_online_case_and_acknowledges_it(
    client, url, soho, manager, django_capture_on_commit_callbacks
):
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, report(), follow=True)
    case = Case.objects.get()
    assert (case.state, case.channel, case.location, case.category) == ("open", "online", soho, "product_quality")
    assert case.created_by is None and case.assignee is None and case.first_contact_at is None
    assert timedelta(hours=23, minutes=59) < case.sla_due_at - before < timedelta(hours=24, minutes=1)
    assert (case.customer.name, case.customer.email, case.customer.contact_consent) == (
        "Bea Quinn",
        "bea@example.com",
        True,
    )
    logged = Event.objects.get(case=case, kind=Event.Kind.CASE_LOGGED)
    assert logged.actor is None and logged.note.startswith(REPORTED_NOTE) and logged.payload["reported_by_customer"]
    # Planned as any case logged: an escalation if nobody contacts them in time.
    assert FollowUp.objects.filter(case=case, purpose=Purpose.FIRST_CONTACT_ESCALATION.value).exists()
    page = response.content.decode()
    assert response.redirect_chain[0][1] == 303
    assert case.reference in page
    assert f"We will get back to you by {timezone.localtime(case.sla_due_at):%A %-d %B, %H:%M}" in page
    [email] = mail.outbox
    assert email.to == ["bea@example.com"] and case.reference in email.subject
    assert email.extra_headers["Message-ID"] == f"<self-report-{case.pk}@amends>"
    assert f"by {timezone.localtime(case.sla_due_at):%A %-d %B, %H:%M}" in email.body
    assert "ceiling" not in email.body and "Bea" not in email.body  # nothing typed is relayed
    assert Event.objects.filter(case=case, kind=Event.Kind.CASE_NOTE_ADDED, note=ACKNOWLEDGED_NOTE).exists()


def answer(email, *, to: str, thread: bool, body: str) -> bytes:
    """The customer's reply to an email we sent, as their mail client writes it: to `to`, and
    (with `thread`) naming what it answers in In-Reply-To and References."""
    headers = f"In-Reply-To: {email.extra_headers['Message-ID']}\r\n" if thread else ""
    if thread:
        headers += f"References: {email.extra_headers['References']} {email.extra_headers['Message-ID']}\r\n"
    return (
        f"From: Bea Quinn <bea@example.com>\r\nTo: {to}\r\nSubject: Re: {email.subject}\r\n"
        f"Message-ID: <answer-{uuid.uuid4().hex}@example.com>\r\n{headers}\r\n{body}\r\n"
    ).encode()


def test_the_acknowledgement_carries_the_cases_reply_address_and_a_reply_finds_the_case(
    client, url, settings, django_capture_on_commit_callbacks
):
    settings.AMENDS_REPLY_DOMAIN = "replies.example.com"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, report())
    case = Case.objects.get()
    [email] = mail.outbox
    [reply_to] = email.reply_to
    assert reply_to == f"{case.location.name} <reply+{reply_token(case.pk)}@replies.example.com>"
    assert case_from_reply_address(reply_to) == case.pk
    assert email.extra_headers["References"] == case_thread_id(case.pk)
    assert case_from_references(email.extra_headers["References"]) == case.pk
    message = email.message()
    assert (message["Reply-To"], message["Message-ID"]) == (reply_to, f"<self-report-{case.pk}@amends>")
    # Answered as a mail client does: to the Reply-To, naming the thread.
    by_address = inbound_mail_receive(raw=answer(email, to=reply_to, thread=True, body="Table 4."), route="imap")
    assert (by_address.outcome, by_address.case) == (InboundMessage.Outcome.ATTACHED, case)
    assert by_address.reason == "Found by its reply address."
    # A client that drops the Reply-To but keeps the thread still finds it (signed, so from anyone).
    by_thread = inbound_mail_receive(
        raw=answer(email, to="someone@example.net", thread=True, body="Still dripping."), route="imap"
    )
    assert (by_thread.outcome, by_thread.case, by_thread.reason) == (
        InboundMessage.Outcome.ATTACHED,
        case,
        "Found by its thread.",
    )
    assert case.events.filter(kind="customer.replied").count() == 2


def test_the_case_page_says_the_customer_reported_it(client, url, manager):
    client.post(url, report())
    page = signed_in(manager).get(Case.objects.get().get_absolute_url()).content.decode()
    assert "The customer, online" in page and "Online (the customer&#x27;s own report)" in page
    assert "· The customer</div>" in page


def test_the_same_submit_twice_makes_one_case_and_one_email(client, url, django_capture_on_commit_callbacks):
    data = report()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)
    assert Case.objects.count() == 1 and len(mail.outbox) == 1
    # Both answers lead to the same case's receipt (signed with the time: the two may differ by a second).
    receipts = [resolve(urlsplit(response["Location"]).path).kwargs["receipt"] for response in (first, second)]
    assert {signing.loads(receipt, salt=RECEIVED_SALT) for receipt in receipts} == {Case.objects.get().pk}


def test_a_photo_is_attached_without_its_metadata_and_shown_to_the_locations_staff(client, url, manager, camden):
    photo = SimpleUploadedFile("IMG_0001.JPG", image_bytes("JPEG", gps=True), content_type="image/jpeg")
    client.post(url, {**report(), "photo": photo})
    attachment = Attachment.objects.get()
    assert attachment.source == "customer" and attachment.uploaded_by is None and attachment.case == Case.objects.get()
    with attachment.file.open("rb") as stored:
        assert b"Alice Moreno" not in stored.read()
    assert signed_in(manager).get(attachment.get_absolute_url()).status_code == 200
    assert signed_in(manager).get(attachment.get_thumbnail_url()).status_code == 200
    elsewhere = staff(Role.MANAGER, camden, username="cam")
    assert signed_in(elsewhere).get(attachment.get_absolute_url()).status_code == 404
    assert Client().get(attachment.get_absolute_url()).status_code == 302


def test_a_file_that_is_not_a_photo_refuses_the_report_with_what_was_typed_kept(client, url):
    response = client.post(url, {**report(), "photo": SimpleUploadedFile("cat.jpg", SCRIPT)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "cat.jpg was not attached: We take photos" in page
    assert "The ceiling above table 4 dripped on us all evening." in page
    assert not Case.objects.exists() and not Attachment.objects.exists()


def test_the_honeypot_filled_looks_received_and_keeps_nothing(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, report(website="http://spam.example"))
    assert response.status_code == 200 and "We have your report" in response.content.decode()
    assert not Case.objects.exists() and not mail.outbox


def test_no_html_survives(client, url, manager):
    client.post(url, report(description="<b>Cold</b> soup <script>alert('x')</script>", name="<i>Bea</i> Quinn"))
    case = Case.objects.get()
    assert case.description == "Cold soup alert('x')" and case.customer.name == "Bea Quinn"
    page = signed_in(manager).get(case.get_absolute_url()).content.decode()
    assert "<script>alert" not in page and "<b>Cold" not in page


def test_an_address_is_limited_to_a_few_reports(client, url, settings):
    settings.AMENDS_SELF_REPORTS_PER_ADDRESS = "2/h"
    assert [client.post(url, report()).status_code for _ in range(3)] == [303, 303, 429]
    assert Case.objects.count() == 2


def test_guessing_at_tokens_counts_against_the_address_as_any_view_does(client, url, settings):
    settings.AMENDS_SELF_REPORT_VIEWS_PER_ADDRESS = "3/m"
    guesses = [client.get(reverse("report:form", kwargs={"token": f"guess{n}"})).status_code for n in range(3)]
    assert guesses == [404, 404, 404]
    assert client.get(url).status_code == 429  # the right one too, from that address, for a while


def test_a_request_larger_than_a_photo_allows_is_refused_unread(client, url, settings):
    settings.AMENDS_ATTACHMENT_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\0" * 200_000)
    response = client.post(url, {**report(), "photo": big})
    assert response.status_code == 413 and "too much to send at once" in response.content.decode()
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field_error"),
    [
        ({"email": "", "phone": ""}, CONTACT_NEEDED),
        ({"contact_consent": None}, CONSENT_NEEDED),
        ({"description": "x" * 2001}, "Ensure this value has at most 2000 characters"),
        ({"email": "", "phone": "12"}, "too short"),
    ],
)
def test_a_report_missing_what_we_need_says_so(client, url, changes, field_error):
    response = client.post(url, report(**changes))
    assert response.status_code == 400 and field_error in response.content.decode()
    assert not Case.objects.exists()


def test_a_phone_only_report_gets_no_email_and_says_nothing_of_one(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, report(email="", phone="07700 900555"), follow=True)
    case = Case.objects.get()
    assert case.customer.phone == "+447700900555" and case.customer.preferred_channel == "phone"
    assert not mail.outbox and "We have emailed you" not in response.content.decode()


def test_a_known_customer_is_found_not_duplicated_nor_changed(client, url, soho):
    known = CustomerFactory(home_location=soho, name="Beatrice Quinn", email="bea@example.com", contact_consent=False)
    client.post(url, report(email="BEA@example.com", name="Someone Else"))
    case = Case.objects.get()
    known.refresh_from_db()
    assert case.customer == known and (known.name, known.contact_consent) == ("Beatrice Quinn", False)


def test_the_acknowledgement_link_is_signed_and_tied_to_its_location(client, url, soho, camden):
    response = client.post(url, report())
    receipt = resolve(urlsplit(response["Location"]).path).kwargs["receipt"]
    assert client.get(response["Location"]).status_code == 200
    here = reverse("report:received", kwargs={"token": soho.report_token, "receipt": receipt})
    assert client.get(here).status_code == 200
    elsewhere = reverse("report:received", kwargs={"token": camden.report_token, "receipt": receipt})
    assert client.get(elsewhere).status_code == 404
    altered = reverse("report:received", kwargs={"token": soho.report_token, "receipt": receipt + "x"})
    assert client.get(altered).status_code == 404
