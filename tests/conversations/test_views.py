"""The pages: saved replies for owners and managers (a manager's at their locations), and the
case page's "Write to the customer": pick, preview exactly what the customer reads, send once."""

import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from accounts.roles import Role
from cases.models import Event
from conversations import services
from conversations.models import SavedReply
from desk.views.messages import CHANGED_SINCE_PREVIEW
from followups.models import FollowUp
from tests.conftest import signed_in
from tests.factories import CaseFactory, staff

WORDS = {"title": "Sorry for the wait", "subject": "Sorry, {{ first_name }}", "body": "Dear {{ first_name }}, sorry."}


@pytest.fixture
def case(soho, frontline, customer):
    return CaseFactory(location=soho, customer=customer, created_by=frontline)


@pytest.fixture
def reply(owner):
    return services.saved_reply_create(actor=owner, location_id=None, **WORDS)


# Saved replies


def test_frontline_staff_do_not_get_the_saved_replies_pages(frontline, reply):
    client = signed_in(frontline)
    for url in (reverse("conversations:replies"), reverse("conversations:reply_add")):
        assert client.get(url).status_code == 403
    assert client.post(reverse("conversations:reply_edit", args=[reply.pk]), WORDS).status_code == 403


def test_a_manager_adds_a_reply_for_their_location_after_a_preview(manager, soho):
    client = signed_in(manager)
    form = {**WORDS, "location": soho.pk}
    preview = client.post(reverse("conversations:reply_add"), {**form, "do": "preview"})
    assert preview.status_code == 200 and "Sorry, Alice" in preview.content.decode()
    assert not SavedReply.objects.exists()
    response = client.post(reverse("conversations:reply_add"), {**form, "do": "save"})
    assert response.status_code == 302
    assert SavedReply.objects.get().location == soho
    assert WORDS["title"] in client.get(reverse("conversations:replies")).content.decode()


def test_a_manager_is_not_offered_every_location_and_a_location_not_theirs_is_refused(manager, camden):
    client = signed_in(manager)
    page = client.get(reverse("conversations:reply_add")).content.decode()
    assert "Every location" not in page and "Camden" not in page
    response = client.post(reverse("conversations:reply_add"), {**WORDS, "location": camden.pk, "do": "save"})
    assert response.status_code == 400 and not SavedReply.objects.exists()
    assert WORDS["body"] in response.content.decode()  # what was typed is kept


def test_an_unknown_placeholder_is_shown_beside_the_words_typed(owner):
    response = signed_in(owner).post(
        reverse("conversations:reply_add"), {**WORDS, "body": "Hi {{ nom }}", "do": "save"}
    )
    page = response.content.decode()
    assert response.status_code == 400 and "Unknown placeholder {{ nom }}" in page and "Hi {{ nom }}" in page


def test_another_locations_reply_is_a_404_to_a_manager(manager, owner, camden):
    elsewhere = services.saved_reply_create(actor=owner, location_id=camden.pk, **WORDS)
    client = signed_in(manager)
    assert client.get(reverse("conversations:reply_edit", args=[elsewhere.pk])).status_code == 404
    response = client.post(reverse("conversations:reply_edit", args=[elsewhere.pk]), {**WORDS, "do": "retire"})
    assert response.status_code == 404
    assert SavedReply.objects.get(pk=elsewhere.pk).is_active


def test_a_manager_reads_but_does_not_change_a_reply_for_every_location(manager, reply):
    client = signed_in(manager)
    page = client.get(reverse("conversations:reply_edit", args=[reply.pk])).content.decode()
    assert "only an owner" in page and 'value="save"' not in page
    response = client.post(reverse("conversations:reply_edit", args=[reply.pk]), {**WORDS, "do": "retire"})
    assert response.status_code == 403 and SavedReply.objects.get(pk=reply.pk).is_active


def test_an_owner_retires_a_reply(owner, reply):
    response = signed_in(owner).post(reverse("conversations:reply_edit", args=[reply.pk]), {"do": "retire"})
    assert response.status_code == 302 and not SavedReply.objects.get(pk=reply.pk).is_active


def test_a_retired_reply_offers_restore_and_an_owner_restores_it(owner, reply):
    client = signed_in(owner)
    services.saved_reply_retire(reply=reply, actor=owner)
    page = client.get(reverse("conversations:reply_edit", args=[reply.pk])).content.decode()
    assert 'value="restore"' in page and 'value="retire"' not in page
    response = client.post(reverse("conversations:reply_edit", args=[reply.pk]), {"do": "restore"})
    assert response.status_code == 302 and SavedReply.objects.get(pk=reply.pk).is_active
    page = client.get(reverse("conversations:reply_edit", args=[reply.pk])).content.decode()
    assert 'value="restore"' not in page and 'value="retire"' in page
    assert Event.objects.filter(kind=Event.Kind.SAVED_REPLY_RESTORED).count() == 1


def test_a_manager_is_not_offered_restore_on_a_reply_for_every_location_and_is_refused(manager, owner, reply):
    services.saved_reply_retire(reply=reply, actor=owner)
    client = signed_in(manager)
    assert 'value="restore"' not in client.get(reverse("conversations:reply_edit", args=[reply.pk])).content.decode()
    response = client.post(reverse("conversations:reply_edit", args=[reply.pk]), {"do": "restore"})
    assert response.status_code == 403 and not SavedReply.objects.get(pk=reply.pk).is_active


# The composer on the case page


def compose(client, case, action, **fields):
    data = {
        "action": action,
        "submission_token": fields.pop("submission_token", str(uuid.uuid4())),
        "channel": "email",
        "subject": "Sorry, {{ first_name }}",
        "body": "Dear {{ first_name }},\n\nWe are sorry about {{ reference }}.",
        **fields,
    }
    return client.post(reverse("cases:message", args=[case.pk]), data), data


def previewed(page: str) -> str:
    return re.search(r'name="previewed" value="([0-9a-f]*)"', page).group(1)


def test_the_case_page_offers_the_composer_with_the_saved_replies_of_the_case(case, frontline, reply):
    page = signed_in(frontline).get(case.get_absolute_url()).content.decode()
    assert "Write to the customer" in page and f'value="{reply.pk}"' in page
    assert 'id="id_message_channel_email" value="email" checked' in page  # the customer prefers email


def test_picking_a_saved_reply_fills_in_its_words_without_script(case, frontline, reply):
    response, _ = compose(signed_in(frontline), case, "message_pick", saved_reply=reply.pk, subject="", body="")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'value="Sorry, {{ first_name }}"' in page and "Dear {{ first_name }}, sorry.</textarea>" in page


def test_the_preview_shows_exactly_what_the_customer_reads_and_sends_nothing(case, frontline):
    response, _ = compose(signed_in(frontline), case, "message_preview")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sorry, Alice" in page and f"We are sorry about {case.reference}." in page
    assert 'value="message_send"' in page
    assert not FollowUp.objects.filter(case=case).exists()


def test_send_after_the_preview_writes_one_message_however_often_it_is_pressed(
    case, frontline, django_capture_on_commit_callbacks
):
    client = signed_in(frontline)
    response, data = compose(client, case, "message_preview")
    data = {**data, "action": "message_send", "previewed": previewed(response.content.decode())}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(reverse("cases:message", args=[case.pk]), data)
        again = client.post(reverse("cases:message", args=[case.pk]), data)
    assert first.status_code == again.status_code == 302
    followup = FollowUp.objects.get(case=case)
    assert (followup.state, followup.subject) == ("sent", "Sorry, Alice")
    assert len(mail.outbox) == 1
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Message to the customer" in page and "Sent by email" in page


def test_a_message_changed_since_its_preview_is_previewed_again_not_sent(case, frontline):
    client = signed_in(frontline)
    response, data = compose(client, case, "message_preview")
    data = {**data, "action": "message_send", "previewed": previewed(response.content.decode()), "body": "Changed"}
    response = client.post(reverse("cases:message", args=[case.pk]), data)
    assert response.status_code == 200 and str(CHANGED_SINCE_PREVIEW) in response.content.decode()
    assert not FollowUp.objects.filter(case=case).exists()


def test_a_customer_who_has_not_agreed_is_refused_with_the_words_kept(case, frontline):
    case.customer.contact_consent = False
    case.customer.save()
    response, _ = compose(signed_in(frontline), case, "message_preview", body="Words I typed")
    page = response.content.decode()
    assert response.status_code == 400
    assert services.NO_CONSENT in page and "Words I typed</textarea>" in page


def test_a_channel_with_no_address_is_refused_beside_the_channel(case, frontline):
    case.customer.phone = ""
    case.customer.save()
    response, _ = compose(signed_in(frontline), case, "message_preview", channel="sms")
    assert response.status_code == 400 and services.NO_PHONE in response.content.decode()


def test_a_saved_reply_retired_since_the_page_was_read_is_refused_beside_it_with_the_words_kept(case, frontline, reply):
    client = signed_in(frontline)
    response, data = compose(client, case, "message_preview", saved_reply=reply.pk, body="Words I typed")
    assert response.status_code == 200
    services.saved_reply_retire(reply=reply, actor=SavedReply.objects.get().created_by)
    for action in ("message_preview", "message_send"):
        send = {**data, "action": action, "previewed": previewed(response.content.decode())}
        refused = client.post(reverse("cases:message", args=[case.pk]), send)
        page = refused.content.decode()
        assert refused.status_code == 400
        assert services.REPLY_NOT_HERE.replace("'", "&#x27;") in page and "Words I typed</textarea>" in page
    assert not FollowUp.objects.filter(case=case).exists()


def test_another_locations_case_is_a_404(frontline, camden):
    elsewhere = CaseFactory(location=camden)
    response, _ = compose(signed_in(frontline), elsewhere, "message_preview")
    assert response.status_code == 404


def test_a_failed_message_says_so_on_the_timeline(case, frontline):
    followup = services.message_send(
        case=case, actor=frontline, channel="email", subject="Hello", body="Hi", submission_token=uuid.uuid4()
    )
    FollowUp.objects.filter(pk=followup.pk).update(state="failed", last_error="550 no such mailbox")
    page = signed_in(staff(Role.MANAGER, case.location)).get(case.get_absolute_url()).content.decode()
    assert "Could not be sent" in page and "550 no such mailbox" in page
    assert Event.objects.filter(case=case, kind=Event.Kind.MESSAGE_CREATED).count() == 1


def test_a_message_still_being_sent_says_so_on_the_timeline(case, frontline):
    """Between the send and the worker taking it (or between its tries), the message is still
    scheduled: the timeline says it is being sent, and the page does not fail over it."""
    followup = services.message_send(
        case=case, actor=frontline, channel="email", subject="Hello", body="Hi", submission_token=uuid.uuid4()
    )
    FollowUp.objects.filter(pk=followup.pk).update(state="scheduled", sent_at=None, attempts=1, last_error="Timed out")
    response = signed_in(frontline).get(case.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Sending: will try again" in page and "Timed out" in page


def test_a_customer_who_prefers_text_messages_starts_on_them_and_the_preview_is_the_text(case, frontline):
    case.customer.preferred_channel = "sms"
    case.customer.save()
    client = signed_in(frontline)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="id_message_channel_sms" value="sms" checked' in page
    response, _ = compose(client, case, "message_preview", channel="sms")
    page = response.content.decode()
    assert "(text message)" in page and "data-preview-text" in page and "Preview of the message" not in page
