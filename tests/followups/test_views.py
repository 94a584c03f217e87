"""Follow-up pages: the case page's actions, staff's list, failed messages, the owner's wording."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups import services
from followups.models import FollowUp, MessageTemplate
from followups.plans import Purpose
from tests.cases.test_views import queries_for
from tests.conftest import signed_in
from tests.factories import CaseFactory, LocationFactory


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def post(client, case, **data):
    return client.post(reverse("followups:case", kwargs={"pk": case.pk}), data)


def test_staff_plan_a_reminder_from_the_case_page(case, frontline, frontline_client):
    due = timezone.now() + timedelta(days=1)
    data = {"action": "followup_add", "subject": "Check the parcel came", "due_at": local(due), "who": "me"}
    response = post(frontline_client, case, submission_token=str(uuid.uuid4()), **data)
    assert response.status_code == 302 and response["Location"].endswith("#followups")
    followup = case.followups.get()
    assert (followup.subject, followup.recipient, followup.kind) == (
        "Check the parcel came",
        frontline,
        "staff_reminder",
    )
    page = frontline_client.get(case.get_absolute_url()).content.decode()
    assert "Check the parcel came" in page and "Planned: Check the parcel came" in page


def test_the_same_reminder_submitted_twice_is_planned_once(case, frontline_client):
    data = {
        "action": "followup_add",
        "subject": "Ring about the refund",
        "due_at": local(timezone.now() + timedelta(hours=2)),
        "who": "me",
        "submission_token": str(uuid.uuid4()),
    }
    assert post(frontline_client, case, **data).status_code == 302
    assert post(frontline_client, case, **data).status_code == 302
    assert case.followups.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subject": ""}, "Say what the follow-up is for."),
        ({"due_at": ""}, "Choose a date and time."),
        ({"due_at": "tomorrow-ish"}, "Enter a date and time"),
        ({"due_at": local(timezone.now() - timedelta(days=1))}, "Choose a time from now on."),
    ],
)
def test_a_bad_reminder_is_refused_next_to_the_field_and_keeps_what_was_typed(case, frontline_client, changes, message):
    data = {
        "action": "followup_add",
        "subject": "Ring about the refund",
        "due_at": local(timezone.now() + timedelta(hours=2)),
        "who": "assignee",
        "submission_token": "5d1f6a0c-3b7e-4c2a-9f1e-2a6b8c0d4e11",
        **changes,
    }
    response = post(frontline_client, case, **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if data["subject"]:
        assert 'value="Ring about the refund"' in page
    assert 'value="5d1f6a0c-3b7e-4c2a-9f1e-2a6b8c0d4e11"' in page  # the same token: a resubmit plans one
    assert 'id="plan-followup"' in page and "collapse show" in page
    assert not case.followups.exists()


def test_move_cancel_and_done_from_the_case_page(case, frontline, frontline_client):
    followup = services.followup_schedule(
        case=case,
        kind="staff_reminder",
        channel="in_app",
        subject="Ring back",
        due_at=timezone.now() + timedelta(hours=1),
        recipient=frontline,
    )
    later = timezone.now() + timedelta(days=2)
    assert (
        post(frontline_client, case, action="followup_move", followup=followup.pk, due_at=local(later)).status_code
        == 302
    )
    followup.refresh_from_db()
    assert local(followup.due_at) == local(later)
    assert post(frontline_client, case, action="followup_done", followup=followup.pk).status_code == 302
    followup.refresh_from_db()
    assert (followup.state, followup.done_by) == ("done", frontline)
    response = post(frontline_client, case, action="followup_cancel", followup=followup.pk)
    assert response.status_code == 400 and "can no longer be changed" in response.content.decode()


def test_a_follow_up_of_another_case_is_not_touched(case, soho, frontline, frontline_client):
    other = CaseFactory(location=soho, created_by=frontline)
    followup = services.followup_schedule(
        case=other, kind="staff_reminder", channel="in_app", subject="x", due_at=timezone.now() + timedelta(hours=1)
    )
    response = post(frontline_client, case, action="followup_cancel", followup=followup.pk)
    assert response.status_code == 400 and "not on this case" in response.content.decode()
    followup.refresh_from_db()
    assert followup.state == "scheduled"


def test_a_case_at_another_location_is_a_404(camden, frontline_client):
    elsewhere = CaseFactory(location=camden)
    response = post(frontline_client, elsewhere, action="followup_add", subject="x", due_at="", who="me")
    assert response.status_code == 404


def test_promise_a_callback_and_mark_it_made(case, frontline, frontline_client):
    at = timezone.now() + timedelta(hours=3)
    response = post(frontline_client, case, action="callback_promise", at=local(at), note="About the refund")
    assert response.status_code == 302
    assert set(case.followups.values_list("purpose", flat=True)) == {"callback_reminder", "callback_escalation"}
    page = frontline_client.get(case.get_absolute_url()).content.decode()
    assert "Callback promised for" in page and "Callback made" in page
    assert post(frontline_client, case, action="callback_made", note="Spoke to her").status_code == 302
    assert not case.followups.filter(state="scheduled").exists()


def failed(case) -> FollowUp:
    followup = services.followup_schedule(
        case=case, kind="customer_message", purpose=Purpose.REMEDY_MESSAGE, channel="email", due_at=timezone.now()
    )
    services.followup_claim_due()
    services.followup_record_failure(followup_id=followup.pk, error="550 no such mailbox", permanent=True)
    return followup


def test_managers_see_failed_messages_and_try_again(case, manager):
    followup = failed(case)
    client = signed_in(manager)
    page = client.get(reverse("followups:list"))
    assert "550 no such mailbox" in page.content.decode()
    assert page.context["followups_failed"] == 1  # the badge in the navigation
    response = post(client, case, action="followup_retry", followup=followup.pk, next=reverse("followups:list"))
    assert response["Location"] == reverse("followups:list")
    followup.refresh_from_db()
    assert (followup.state, followup.attempts) == ("scheduled", 0)


def test_frontline_cannot_try_a_failed_message_again(case, frontline_client):
    followup = failed(case)
    assert "550 no such mailbox" not in frontline_client.get(reverse("followups:list")).content.decode()
    assert post(frontline_client, case, action="followup_retry", followup=followup.pk).status_code == 403


def test_a_manager_sees_only_their_locations_failures(case, camden):
    from accounts.roles import Role
    from tests.factories import staff

    failed(case)
    elsewhere = staff(Role.MANAGER, camden, username="cam")
    assert signed_in(elsewhere).get(reverse("followups:list")).context["failed"] == []


def retry(client, **data):
    return client.post(reverse("followups:list"), data)


def test_a_manager_tries_the_ticked_failed_messages_again_in_one_go_each_on_its_case(case, manager):
    first, second, third = failed(case), failed(case), failed(case)
    client = signed_in(manager)
    page = client.get(reverse("followups:list")).content.decode()
    assert f'name="followup" value="{first.pk}" form="retry-failed"' in page and "Try all 3 shown again" in page
    response = retry(client, do="ticked", followup=[first.pk, third.pk], shown=[first.pk, second.pk, third.pk])
    assert response.status_code == 302 and response["Location"] == reverse("followups:list")
    rows = {row.pk: row for row in FollowUp.objects.filter(pk__in=[first.pk, second.pk, third.pk])}
    assert {pk: (row.state, row.attempts, row.last_error) for pk, row in rows.items()} == {
        first.pk: ("scheduled", 0, ""),
        second.pk: ("failed", 1, "550 no such mailbox"),
        third.pk: ("scheduled", 0, ""),
    }
    assert services.followup_claim_due() == [first.pk, third.pk]  # due now: the next sweep sends them
    retried = case.events.filter(kind="followup.moved", actor=manager)
    assert sorted(event.payload["followup_id"] for event in retried) == [first.pk, third.pk]
    assert all(event.note.startswith("Tried again: ") for event in retried)
    assert "Trying again: 2 follow-ups." in client.get(reverse("followups:list")).content.decode()


def test_a_manager_tries_every_failed_message_shown_again(case, manager):
    ids = [failed(case).pk for _ in range(3)]
    assert retry(signed_in(manager), do="shown", shown=ids).status_code == 302
    assert set(FollowUp.objects.filter(pk__in=ids).values_list("state", flat=True)) == {"scheduled"}


def test_the_same_retry_sent_twice_retries_once(case, manager):
    ids = [failed(case).pk for _ in range(2)]
    client = signed_in(manager)
    retry(client, do="shown", shown=ids)
    response = retry(client, do="shown", shown=ids)
    assert response.status_code == 302
    assert case.events.filter(kind="followup.moved").count() == 2
    page = client.get(reverse("followups:list")).content.decode()
    assert "Nothing to try again: those follow-ups were tried again or cancelled already." in page


def test_nothing_ticked_is_refused_with_a_reason_and_retries_nothing(case, manager):
    followup = failed(case)
    response = retry(signed_in(manager), do="ticked", shown=[followup.pk])
    assert response.status_code == 400
    assert "Tick the follow-ups to try again, or try all of them." in response.content.decode()
    followup.refresh_from_db()
    assert followup.state == "failed"


def test_another_locations_failed_message_is_passed_over(case, camden, manager):
    mine = failed(case)
    theirs = failed(CaseFactory(location=camden))
    assert retry(signed_in(manager), do="ticked", followup=[mine.pk, theirs.pk]).status_code == 302
    assert FollowUp.objects.get(pk=mine.pk).state == "scheduled"
    assert FollowUp.objects.get(pk=theirs.pk).state == "failed"


def test_frontline_cannot_retry_in_bulk(case, frontline_client):
    followup = failed(case)
    assert retry(frontline_client, do="shown", shown=[followup.pk]).status_code == 403
    assert FollowUp.objects.get(pk=followup.pk).state == "failed"


def test_my_list_shows_my_reminders_with_a_done_button(case, frontline, frontline_client):
    services.followup_schedule(
        case=case,
        kind="staff_reminder",
        channel="in_app",
        subject="Post the card",
        due_at=timezone.now() + timedelta(hours=1),
        recipient=frontline,
    )
    page = frontline_client.get(reverse("followups:list")).content.decode()
    assert "Post the card" in page and case.reference in page


def test_the_case_page_does_not_grow_queries_with_follow_ups(case, frontline):
    client = signed_in(frontline)
    counts = []
    for rows in (5, 45):
        FollowUp.objects.bulk_create(
            [
                FollowUp(case=case, kind="staff_reminder", channel="in_app", subject=f"r{i}", due_at=timezone.now())
                for i in range(rows)
            ]
        )
        counts.append(queries_for(client, case.get_absolute_url()))
    assert counts[0] == counts[1]


def test_owner_edits_a_message_with_a_preview_then_saves_it(owner):
    LocationFactory(name="Soho", code="soho")
    client = signed_in(owner)
    url = reverse("followups:message_edit", kwargs={"purpose": "satisfaction_check"})
    body = "Hi {{ first_name }}, how did we do? {{ link }}"
    preview = client.post(url, {"subject": "How did we do?", "body": body, "do": "preview"})
    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Hi Alice, how did we do?" in content  # the preview, with an example customer
    assert 'srcdoc="&lt;!doctype html&gt;' in content  # the email, escaped whole into its frame
    assert "How did we do?" in content and not MessageTemplate.objects.exists()
    assert client.post(url, {"subject": "How did we do?", "body": body, "do": "save"}).status_code == 302
    assert MessageTemplate.objects.get().body == body
    assert client.post(url, {"do": "reset"}).status_code == 302
    assert not MessageTemplate.objects.exists()


def test_an_unknown_placeholder_is_refused_and_the_text_kept(owner):
    client = signed_in(owner)
    url = reverse("followups:message_edit", kwargs={"purpose": "remedy_message"})
    response = client.post(url, {"subject": "Hello", "body": "Dear {{ firstname }}", "do": "save"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Unknown placeholder {{ firstname }}" in content and "Dear {{ firstname }}" in content
    assert not MessageTemplate.objects.exists()


def test_the_owners_wording_is_what_the_customer_gets(case, owner):
    signed_in(owner).post(
        reverse("followups:message_edit", kwargs={"purpose": "remedy_message"}),
        {"subject": "Sorted, {{ first_name }}", "body": "We did this:\n{{ details }}", "do": "save"},
    )
    followup = services.followup_schedule(
        case=case,
        kind="customer_message",
        purpose=Purpose.REMEDY_MESSAGE,
        channel="email",
        due_at=timezone.now(),
        body="- Gift card of £10.00",
    )
    services.followup_send(followup_id=followup.pk)
    from django.core import mail

    assert mail.outbox[-1].subject == f"Sorted, {case.customer.first_name}"
    assert mail.outbox[-1].body == "We did this:\n- Gift card of £10.00\n"


# Marked: a fixture asked for by name at run time hides the database from pytest-django, which
# then ran this after the other database tests and left its connection open at teardown.
@pytest.mark.django_db
@pytest.mark.parametrize(("who", "status"), [("frontline", 403), ("manager", 200)])
def test_who_may_read_the_messages(request, who, status):
    assert signed_in(request.getfixturevalue(who)).get(reverse("followups:messages")).status_code == status


def test_a_manager_may_preview_but_not_change_the_wording(manager):
    url = reverse("followups:message_edit", kwargs={"purpose": "remedy_message"})
    client = signed_in(manager)
    assert client.get(url).status_code == 200
    assert client.post(url, {"subject": "x", "body": "y", "do": "save"}).status_code == 403


def test_a_manager_s_list_holds_the_escalations_to_their_locations(case, manager, camden):
    from accounts.roles import Role
    from tests.factories import staff

    services.followup_schedule(
        case=case,
        kind="escalation",
        channel="in_app",
        subject="A promised callback was not made",
        due_at=timezone.now(),
    )
    assert "A promised callback was not made" in signed_in(manager).get(reverse("followups:list")).content.decode()
    elsewhere = staff(Role.MANAGER, camden, username="cam")
    assert signed_in(elsewhere).get(reverse("followups:list")).context["mine"] == []


def test_the_case_page_shows_the_customer_s_verdict(case, frontline_client):
    from portal.models import SatisfactionResponse

    SatisfactionResponse.objects.create(case=case, rating=2, will_return="not_sure", comment="Still no refund")
    page = frontline_client.get(case.get_absolute_url()).content.decode()
    assert "The customer's verdict:" in page and "2 of 5" in page and "Still no refund" in page
