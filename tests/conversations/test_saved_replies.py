"""Saved replies: owners keep them for every location or one, managers for their own; staff
start from them but do not change them; every change is on the audit trail."""

import pytest

from accounts.roles import Role
from cases.models import Event
from conversations import services
from conversations.models import SavedReply
from conversations.selectors import saved_replies_for_case, saved_replies_visible_to
from core.exceptions import ApplicationError
from tests.factories import CaseFactory, staff

WORDS = {"title": "Sorry for the wait", "subject": "Sorry, {{ first_name }}", "body": "We are sorry.\n{{ signature }}"}


def test_an_owner_keeps_a_reply_for_every_location(owner):
    reply = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    assert (reply.title, reply.location_id, reply.is_active, reply.created_by) == (WORDS["title"], None, True, owner)
    event = Event.objects.get(kind=Event.Kind.SAVED_REPLY_CREATED)
    assert (event.subject, event.actor, event.case) == (f"saved_reply:{reply.pk}", owner, None)
    assert event.payload["changes"]["subject"] == [None, WORDS["subject"]]


def test_a_manager_keeps_replies_for_their_own_location_only(manager, soho, camden):
    assert services.saved_reply_create(actor=manager, location_id=soho.pk, **WORDS).location_id == soho.pk
    for where in (None, camden.pk):
        with pytest.raises(ApplicationError, match="location of theirs"):
            services.saved_reply_create(actor=manager, location_id=where, **WORDS)


def test_frontline_staff_keep_no_replies(frontline, soho):
    with pytest.raises(ApplicationError, match="Only an owner or a manager"):
        services.saved_reply_create(actor=frontline, location_id=soho.pk, **WORDS)


def test_an_unknown_placeholder_is_refused_on_its_field(owner):
    with pytest.raises(ApplicationError) as refused:
        services.saved_reply_create(actor=owner, location_id=None, **{**WORDS, "body": "Hi {{ name }}"})
    assert refused.value.field == "body"


def test_a_manager_changes_their_locations_reply_but_not_one_for_every_location(manager, owner, soho):
    theirs = services.saved_reply_create(actor=manager, location_id=soho.pk, **WORDS)
    changed = services.saved_reply_update(
        reply=theirs, actor=manager, location_id=soho.pk, **{**WORDS, "subject": "Our apologies"}
    )
    assert changed.subject == "Our apologies"
    event = Event.objects.get(kind=Event.Kind.SAVED_REPLY_CHANGED)
    assert event.payload["changes"] == {"subject": [WORDS["subject"], "Our apologies"]}
    everywhere = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    with pytest.raises(ApplicationError, match="every location"):
        services.saved_reply_update(reply=everywhere, actor=manager, location_id=soho.pk, **WORDS)
    with pytest.raises(ApplicationError, match="every location"):
        services.saved_reply_retire(reply=everywhere, actor=manager)


def test_a_manager_cannot_move_their_reply_to_every_location(manager, soho):
    reply = services.saved_reply_create(actor=manager, location_id=soho.pk, **WORDS)
    with pytest.raises(ApplicationError) as refused:
        services.saved_reply_update(reply=reply, actor=manager, location_id=None, **WORDS)
    assert refused.value.field == "location"


def test_saving_the_same_words_changes_nothing(owner):
    reply = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    services.saved_reply_update(reply=reply, actor=owner, location_id=None, **WORDS)
    assert not Event.objects.filter(kind=Event.Kind.SAVED_REPLY_CHANGED).exists()


def test_a_retired_reply_is_no_longer_offered_and_retiring_twice_does_nothing(owner, soho):
    reply = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    case = CaseFactory(location=soho)
    assert saved_replies_for_case(case) == [reply]
    services.saved_reply_retire(reply=reply, actor=owner)
    services.saved_reply_retire(reply=reply, actor=owner)
    assert saved_replies_for_case(case) == []
    assert Event.objects.filter(kind=Event.Kind.SAVED_REPLY_RETIRED).count() == 1


def test_a_case_is_offered_the_replies_of_its_location_and_of_every_location(owner, soho, camden):
    everywhere = services.saved_reply_create(actor=owner, location_id=None, **{**WORDS, "title": "A"})
    at_soho = services.saved_reply_create(actor=owner, location_id=soho.pk, **{**WORDS, "title": "B"})
    services.saved_reply_create(actor=owner, location_id=camden.pk, **{**WORDS, "title": "C"})
    assert saved_replies_for_case(CaseFactory(location=soho)) == [everywhere, at_soho]


def test_a_manager_sees_the_replies_of_every_location_and_of_theirs(manager, owner, soho, camden):
    everywhere = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    at_soho = services.saved_reply_create(actor=owner, location_id=soho.pk, **WORDS)
    services.saved_reply_create(actor=owner, location_id=camden.pk, **WORDS)
    assert set(saved_replies_visible_to(manager)) == {everywhere, at_soho}
    assert saved_replies_visible_to(owner).count() == 3
    assert set(saved_replies_visible_to(staff(Role.MANAGER, camden))) == {everywhere} | set(
        SavedReply.objects.filter(location=camden)
    )


def test_a_retired_reply_restored_is_offered_again_and_restoring_twice_does_nothing(owner, soho):
    reply = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    case = CaseFactory(location=soho)
    services.saved_reply_retire(reply=reply, actor=owner)
    restored = services.saved_reply_restore(reply=reply, actor=owner)
    services.saved_reply_restore(reply=reply, actor=owner)
    assert restored.is_active and (restored.subject, restored.body) == (WORDS["subject"], WORDS["body"])
    assert saved_replies_for_case(case) == [reply]
    event = Event.objects.get(kind=Event.Kind.SAVED_REPLY_RESTORED)
    assert (event.subject, event.actor, event.case) == (f"saved_reply:{reply.pk}", owner, None)
    assert event.payload == {"changes": {"is_active": [False, True]}}
    assert event.note == f"Saved reply “{WORDS['title']}” restored."


def test_restoring_an_active_reply_records_nothing(owner):
    reply = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    assert services.saved_reply_restore(reply=reply, actor=owner).is_active
    assert not Event.objects.filter(kind=Event.Kind.SAVED_REPLY_RESTORED).exists()


def test_a_manager_restores_their_locations_reply_but_not_one_for_every_location(manager, owner, soho):
    theirs = services.saved_reply_create(actor=manager, location_id=soho.pk, **WORDS)
    services.saved_reply_retire(reply=theirs, actor=manager)
    assert services.saved_reply_restore(reply=theirs, actor=manager).is_active
    everywhere = services.saved_reply_create(actor=owner, location_id=None, **WORDS)
    services.saved_reply_retire(reply=everywhere, actor=owner)
    with pytest.raises(ApplicationError, match="every location"):
        services.saved_reply_restore(reply=everywhere, actor=manager)
    assert not SavedReply.objects.get(pk=everywhere.pk).is_active
    frontline = staff(Role.FRONTLINE, soho)
    services.saved_reply_retire(reply=theirs, actor=manager)
    with pytest.raises(ApplicationError):
        services.saved_reply_restore(reply=theirs, actor=frontline)
