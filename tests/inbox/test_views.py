"""The inbound endpoint (Mailgun's raw-MIME POST, signed) and the Inbox page."""

import base64
import io
import os
import time
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.roles import Role
from attachments.models import Attachment
from cases.reply_tokens import reply_token
from inbox.models import InboundMessage
from inbox.views import signature_of
from tests.conftest import signed_in
from tests.factories import LocationFactory, staff
from tests.inbox.mail import load, png_base64

pytestmark = pytest.mark.django_db
SECRET = "key-test-signing"
URL = "/inbound/email/mime"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.AMENDS_INBOUND_SECRET = SECRET


def signed(raw: bytes, *, timestamp: int | None = None, token: str | None = None, secret: str = SECRET) -> dict:
    timestamp_text = str(int(time.time()) if timestamp is None else timestamp)
    token = token or uuid.uuid4().hex + uuid.uuid4().hex[:18]
    return {
        "body-mime": raw.decode("utf-8"),
        "timestamp": timestamp_text,
        "token": token,
        "signature": signature_of(secret, timestamp_text, token),
    }


def post(fields: dict, *, multipart: bool = False):
    client = Client(enforce_csrf_checks=True)
    if multipart:
        return client.post(URL, fields)
    return client.post(URL, urlencode(fields), content_type="application/x-www-form-urlencoded")


@pytest.mark.parametrize("multipart", [False, True])
def test_a_signed_reply_is_put_on_its_case(case, multipart):
    response = post(signed(load("gmail_reply", TOKEN=reply_token(case.pk))), multipart=multipart)
    assert response.status_code == 200
    assert response.json()["outcome"] == "attached"
    entry = case.events.get(kind="customer.replied")
    assert entry.payload["text"].startswith("Thank you, the replacement arrived")
    assert InboundMessage.objects.get().route == "webhook"


def test_the_other_path_takes_the_same_post(case):
    fields = signed(load("gmail_reply", TOKEN=reply_token(case.pk)))
    response = Client().post(reverse("inbound:email"), fields)
    assert response.status_code == 200


def test_a_wrong_signature_is_refused(case):
    response = post(signed(load("gmail_reply", TOKEN=reply_token(case.pk)), secret="not-the-key"))
    assert response.status_code == 403
    assert not InboundMessage.objects.exists()


def test_unsigned_fields_missing_are_refused(case):
    fields = signed(load("gmail_reply", TOKEN=reply_token(case.pk)))
    del fields["signature"]
    assert post(fields).status_code == 403


def test_a_timestamp_older_than_five_minutes_is_refused(case):
    old = int((timezone.now() - timedelta(minutes=6)).timestamp())
    assert post(signed(load("gmail_reply", TOKEN=reply_token(case.pk)), timestamp=old)).status_code == 403
    assert not InboundMessage.objects.exists()


def test_a_token_seen_before_is_refused_as_a_replay(case):
    fields = signed(load("gmail_reply", TOKEN=reply_token(case.pk)))
    assert post(fields).status_code == 200
    replay = post(fields)
    assert replay.status_code == 403 and replay.json() == {"refused": "token already used"}


def test_fault_duplicate_message_posted_twice_with_fresh_tokens_makes_one_entry(case):
    raw = load("gmail_reply", TOKEN=reply_token(case.pk))
    assert post(signed(raw)).status_code == 200
    assert post(signed(raw)).status_code == 200
    assert case.events.filter(kind="customer.replied").count() == 1


def test_a_message_over_the_size_limit_is_refused(case, settings):
    settings.AMENDS_INBOUND_MAX_BYTES = 2000
    raw = load("gmail_reply", TOKEN=reply_token(case.pk)) + b"x" * 3000
    assert post(signed(raw)).status_code == 413
    assert post(signed(raw), multipart=True).status_code == 413
    assert not InboundMessage.objects.exists()


def test_a_message_with_a_photo_past_djangos_form_limit_is_taken_in_as_a_text_field(case, settings):
    """Mailgun posts the raw message as a text field: a reply with a 3 MB photo is over the 2.5 MB
    Django holds form fields to, and under AMENDS_INBOUND_MAX_BYTES: it is kept, photo and all."""
    photo = io.BytesIO()
    Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000)).save(photo, format="PNG")
    raw = load("with_attachment", TOKEN=reply_token(case.pk)).replace(
        png_base64().replace("\n", "\r\n").encode(), base64.encodebytes(photo.getvalue()).replace(b"\n", b"\r\n")
    )
    assert len(raw) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = post(signed(raw), multipart=True)
    assert response.status_code == 200 and response.json()["outcome"] == "attached"
    assert Attachment.objects.get(case=case).size > 1_000_000


def test_the_endpoint_is_a_404_when_no_secret_is_set(case, settings):
    settings.AMENDS_INBOUND_SECRET = ""
    assert post(signed(load("gmail_reply", TOKEN=reply_token(case.pk)))).status_code == 404


def test_the_endpoint_takes_posts_only():
    assert Client().get(URL).status_code == 405


def test_the_endpoint_is_rate_limited(case, settings):
    settings.AMENDS_INBOUND_RATE = "2/m"
    codes = [post(signed(b"From: a@example.net\r\n\r\nx")).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_inbox_shows_a_managers_locations_rejected_and_ignored_mail(case, soho, client):
    soho.inbound_email = "soho-complaints@example.com"
    soho.save()
    camden = LocationFactory(name="Camden", code="camden", inbound_email="camden@example.com")
    post(signed(load("mailing_list")))
    post(signed(load("auto_reply", TOKEN=reply_token(case.pk))))
    post(signed(load("html_only").replace(b"soho-complaints@example.com", b"camden@example.com")))
    page = signed_in(staff(Role.MANAGER, soho)).get(reverse("inbox:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Automatic reply: Your complaint SR-000001" in text and "Not answered: Auto-Submitted" in text
    assert "Cold food again" not in text  # Camden's
    owner_page = signed_in(staff(Role.OWNER)).get(reverse("inbox:list")).content.decode()
    assert "Cold food again" in owner_page and "This week&#x27;s deals" in owner_page
    assert camden.pk


def test_frontline_staff_have_no_inbox_page(frontline):
    assert signed_in(frontline).get(reverse("inbox:list")).status_code == 403


def test_the_case_page_shows_the_reply_distinctly_with_its_quoted_text(case, assignee, soho):
    post(signed(load("gmail_reply", TOKEN=reply_token(case.pk))))
    post(signed(load("outlook_reply", TOKEN=reply_token(case.pk))))
    page = signed_in(assignee).get(case.get_absolute_url()).content.decode()
    assert "customer-reply" in page and "Show quoted text" in page
    assert "From an address not on file" in page  # Bob wrote about Alice's case
    assert "Could you also send the receipt?" in page


def test_both_case_pages_show_the_link_between_a_closed_case_and_the_one_that_follows_it(case, assignee):
    case.state, case.outcome, case.closed_at = "closed", "retained", timezone.now() - timedelta(days=40)
    case.save()
    response = post(signed(load("gmail_reply", TOKEN=reply_token(case.pk))))
    new = InboundMessage.objects.get(pk=response.json()["id"]).case
    client = signed_in(assignee)
    old_page = client.get(case.get_absolute_url()).content.decode()
    new_page = client.get(new.get_absolute_url()).content.decode()
    assert f"{new.reference}</a> continues it" in old_page
    assert f'Follows <a href="{case.get_absolute_url()}">{case.reference}</a>' in new_page
