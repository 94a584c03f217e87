from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from cases.models import Event
from core.exceptions import ApplicationError
from corrective import selectors, services
from corrective.models import CorrectiveAction, CorrectiveActionCase
from followups.models import FollowUp
from tests.factories import CaseFactory, CorrectiveActionFactory, staff

MESSAGE = "We now check every oven at opening time, and the chef signs it off."


def details(owner, **changes):
    values = {
        "title": "Check the oven daily",
        "description": "Opening checklist gets an oven temperature line.",
        "kind": "process",
        "owner_id": owner.pk,
        "due_date": timezone.localdate() + timedelta(days=14),
    }
    return services.ActionDetails(**{**values, **changes})


def link(action, case, actor):
    return services.corrective_action_link_case(action=action, case=case, actor=actor)


# Creating and editing


def test_a_manager_records_an_action_at_their_location_linked_to_its_case(manager, soho, soho_case):
    action = services.corrective_action_create(
        actor=manager, details=details(manager), location_id=soho.pk, case=soho_case
    )
    assert (action.state, action.owner, action.created_by) == ("open", manager, manager)
    assert list(action.cases.all()) == [soho_case]


def test_a_manager_cannot_record_an_action_for_another_location(manager, camden):
    with pytest.raises(ApplicationError) as error:
        services.corrective_action_create(actor=manager, details=details(manager), location_id=camden.pk)
    assert error.value.field == "location"
    assert not CorrectiveAction.objects.exists()


@pytest.mark.parametrize(
    ("who", "message"),
    [("frontline", "is not a manager"), ("camden_manager", "does not work at Soho")],
)
def test_the_responsible_person_is_a_manager_at_the_actions_location(manager, frontline, soho, camden, who, message):
    person = frontline if who == "frontline" else staff(Role.MANAGER, camden)
    with pytest.raises(ApplicationError) as error:
        services.corrective_action_create(actor=manager, details=details(person), location_id=soho.pk)
    assert error.value.field == "owner"
    assert message in error.value.message


def test_an_action_cannot_be_due_in_the_past(manager, soho):
    past = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ApplicationError, match=str(services.DUE_IN_PAST)):
        services.corrective_action_create(actor=manager, details=details(manager, due_date=past), location_id=soho.pk)


def test_a_manager_of_another_location_cannot_change_the_action(action, camden):
    elsewhere = staff(Role.MANAGER, camden)
    with pytest.raises(ApplicationError, match=str(services.NOT_YOUR_ACTION)):
        services.corrective_action_update(action=action, actor=elsewhere, details=details(elsewhere))
    with pytest.raises(ApplicationError, match=str(services.NOT_YOUR_ACTION)):
        services.corrective_action_start(action=action, actor=elsewhere)


def test_editing_keeps_the_message_for_later(action, manager):
    updated = services.corrective_action_update(
        action=action, actor=manager, details=details(manager, customer_message="Draft words")
    )
    assert updated.customer_message == "Draft words"
    assert updated.state == "open"


# Linking


def test_linking_puts_it_on_the_cases_timeline(action, manager, soho_case):
    created = link(action, soho_case, manager)[1]
    assert created
    event = soho_case.events.get()
    assert event.actor == manager and "Check the oven daily" in event.note


def test_linking_twice_does_nothing_the_second_time(action, manager, soho_case):
    link(action, soho_case, manager)
    assert link(action, soho_case, manager)[1] is False
    assert CorrectiveActionCase.objects.count() == 1
    assert soho_case.events.count() == 1


def test_a_manager_cannot_link_a_case_of_another_location(manager, camden, case_at):
    business_wide = CorrectiveActionFactory(location=None, owner=manager, created_by=manager)
    camden_case = case_at(camden)
    with pytest.raises(ApplicationError) as error:
        link(business_wide, camden_case, manager)
    assert error.value.message == services.NOT_YOUR_CASE.format(reference=camden_case.reference)
    assert not CorrectiveActionCase.objects.exists()


def test_an_owner_links_cases_of_every_location_to_a_business_wide_action(owner, soho, camden, case_at):
    business_wide = CorrectiveActionFactory(location=None, owner=owner, created_by=owner)
    for where in (soho, camden):
        link(business_wide, case_at(where), owner)
    assert business_wide.links.count() == 2


def test_an_action_at_one_location_takes_no_case_from_another(action, owner, camden, case_at):
    with pytest.raises(ApplicationError, match="this action is only for Soho"):
        link(action, case_at(camden), owner)


def test_unlinking_takes_the_case_off_and_says_so(action, manager, soho_case):
    link(action, soho_case, manager)
    services.corrective_action_unlink_case(action=action, case=soho_case, actor=manager)
    assert not action.links.exists()
    assert "Unlinked" in soho_case.events.last().note


# Completing


def test_completing_tells_only_the_customers_who_can_be_told(action, manager, soho, case_at):
    told = case_at(soho, contact_consent=True, email="told@example.com", phone="")
    by_text = case_at(soho, contact_consent=True, email="", phone="+447700900555")
    refused = case_at(soho, contact_consent=False)
    unreachable = case_at(soho, contact_consent=True, email="", phone="")
    for case in (told, by_text, refused, unreachable):
        link(action, case, manager)
    now = timezone.now()

    done = services.corrective_action_complete(action=action, actor=manager, message=f"  {MESSAGE} ", now=now)

    assert (done.state, done.done_at, done.done_by, done.customer_message) == ("done", now, manager, MESSAGE)
    links = {row.case_id: row for row in action.links.select_related("followup")}
    for case, channel in ((told, "email"), (by_text, "sms")):
        followup = links[case.pk].followup
        assert (followup.purpose, followup.kind, followup.channel) == (
            "corrective_message",
            "customer_message",
            channel,
        )
        assert (followup.state, followup.due_at, followup.body) == ("scheduled", now, MESSAGE)
        assert links[case.pk].not_told_reason == ""
    assert links[refused.pk].followup is None
    assert links[refused.pk].not_told_reason == selectors.NOT_TOLD_NO_CONSENT
    assert links[unreachable.pk].not_told_reason == selectors.NOT_TOLD_NO_ADDRESS
    assert FollowUp.objects.count() == 2


def test_completing_puts_it_on_every_linked_cases_timeline(action, manager, soho, case_at):
    told, refused = case_at(soho), case_at(soho, contact_consent=False)
    for case in (told, refused):
        link(action, case, manager)
    services.corrective_action_complete(action=action, actor=manager, message=MESSAGE)
    done_events = Event.objects.filter(kind=Event.Kind.CORRECTIVE_ACTION_COMPLETED, note__contains="is done")
    notes = {event.case_id: event.note for event in done_events}
    assert "will be told by email" in notes[told.pk]
    assert "not told: has not agreed to be contacted" in notes[refused.pk]


def test_completing_twice_tells_nobody_twice(action, manager, soho_case):
    link(action, soho_case, manager)
    first = services.corrective_action_complete(action=action, actor=manager, message=MESSAGE)
    events = Event.objects.count()
    again = services.corrective_action_complete(action=action, actor=manager, message="Other words")
    assert FollowUp.objects.count() == 1
    assert Event.objects.count() == events
    assert (again.customer_message, again.done_at) == (MESSAGE, first.done_at)


@pytest.mark.parametrize("message", ["", "   \n "])
def test_completing_needs_the_message(action, manager, soho_case, message):
    link(action, soho_case, manager)
    with pytest.raises(ApplicationError) as error:
        services.corrective_action_complete(action=action, actor=manager, message=message)
    assert (error.value.field, error.value.message) == ("message", services.MESSAGE_NEEDED)
    action.refresh_from_db()
    assert action.state == "open" and not FollowUp.objects.exists()


def test_a_case_cannot_be_linked_once_the_action_is_done(action, manager, soho, soho_case, case_at):
    link(action, soho_case, manager)
    services.corrective_action_complete(action=action, actor=manager, message=MESSAGE)
    with pytest.raises(ApplicationError, match="done: it can no longer be changed"):
        link(action, case_at(soho), manager)


def test_a_closed_case_still_hears_what_changed(action, manager, soho, frontline):
    closed = CaseFactory(
        location=soho, created_by=frontline, state="closed", outcome="retained", closed_at=timezone.now()
    )
    link(action, closed, manager)
    services.corrective_action_complete(action=action, actor=manager, message=MESSAGE)
    assert action.links.get().followup is not None


# Illegal moves


@pytest.mark.parametrize(
    ("start", "move"),
    [
        ("in_progress", "start"),
        ("done", "start"),
        ("done", "cancel"),
        ("cancelled", "cancel"),
        ("cancelled", "start"),
        ("cancelled", "complete"),
    ],
)
def test_illegal_moves_are_refused(manager, soho, start, move):
    action = CorrectiveActionFactory(
        location=soho,
        owner=manager,
        created_by=manager,
        state=start,
        done_at=timezone.now() if start == "done" else None,
    )
    call = {
        "start": lambda: services.corrective_action_start(action=action, actor=manager),
        "cancel": lambda: services.corrective_action_cancel(action=action, actor=manager),
        "complete": lambda: services.corrective_action_complete(action=action, actor=manager, message=MESSAGE),
    }[move]
    with pytest.raises(ApplicationError, match="cannot move from"):
        call()
    action.refresh_from_db()
    assert action.state == start


def test_cancelling_tells_nobody_and_says_so_on_the_cases(action, manager, soho_case):
    link(action, soho_case, manager)
    services.corrective_action_cancel(action=action, actor=manager)
    assert not FollowUp.objects.exists()
    assert "cancelled" in soho_case.events.last().note
