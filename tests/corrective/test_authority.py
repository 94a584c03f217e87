"""Only someone who can see every case linked to an action may change it or word what all
those customers are told; marking done says first, exactly, who will be told and who not."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from core.exceptions import ApplicationError
from corrective import selectors, services
from corrective.views import COMPLETION_CHANGED
from followups.models import FollowUp
from tests.conftest import signed_in
from tests.factories import CorrectiveActionFactory, staff

from .test_services import details

MESSAGE = "From now on every order is checked twice before it leaves."


@pytest.fixture
def wide(owner, soho, camden, case_at):
    """An owner's business-wide action linked to a case at Soho and one at Camden."""
    action = CorrectiveActionFactory(location=None, owner=owner, created_by=owner, title="Check orders twice")
    soho_case = case_at(soho, name="Sam Soho")
    camden_case = case_at(camden, name="Carla Camden")
    for case in (soho_case, camden_case):
        services.corrective_action_link_case(action=action, case=case, actor=owner)
    action.soho_case, action.camden_case = soho_case, camden_case
    return action


CHANGES = {
    "complete": lambda action, actor: services.corrective_action_complete(action=action, actor=actor, message=MESSAGE),
    "update": lambda action, actor: services.corrective_action_update(
        action=action, actor=actor, details=details(actor, title="Reworded")
    ),
    "start": lambda action, actor: services.corrective_action_start(action=action, actor=actor),
    "cancel": lambda action, actor: services.corrective_action_cancel(action=action, actor=actor),
    "unlink": lambda action, actor: services.corrective_action_unlink_case(
        action=action, case=action.soho_case, actor=actor
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_manager_cannot_change_an_action_with_cases_they_cannot_see(wide, manager, change):
    with pytest.raises(ApplicationError, match=re.escape(str(services.CASES_ELSEWHERE))):
        CHANGES[change](wide, manager)
    wide.refresh_from_db()
    assert (wide.state, wide.title, wide.links.count()) == ("open", "Check orders twice", 2)
    assert not FollowUp.objects.exists()


def test_a_manager_cannot_link_a_case_to_an_action_with_cases_they_cannot_see(wide, manager, soho, case_at):
    with pytest.raises(ApplicationError, match=re.escape(str(services.CASES_ELSEWHERE))):
        services.corrective_action_link_case(action=wide, case=case_at(soho), actor=manager)
    assert wide.links.count() == 2


def test_the_owner_and_a_manager_of_every_linked_location_may(wide, soho, camden):
    both = staff(Role.MANAGER, soho, camden)
    services.corrective_action_update(action=wide, actor=both, details=details(both, title="Reworded"))
    services.corrective_action_complete(action=wide, actor=wide.owner, message=MESSAGE)
    assert FollowUp.objects.filter(purpose="corrective_message").count() == 2


def test_a_manager_still_completes_a_business_wide_action_whose_cases_are_all_theirs(manager, soho, case_at):
    action = CorrectiveActionFactory(location=None)
    services.corrective_action_link_case(action=action, case=case_at(soho), actor=manager)
    services.corrective_action_complete(action=action, actor=manager, message=MESSAGE)
    assert FollowUp.objects.filter(purpose="corrective_message").count() == 1


def test_the_page_offers_no_change_and_says_why(wide, manager):
    html = signed_in(manager).get(wide.get_absolute_url()).content.decode()
    assert str(services.CASES_ELSEWHERE) in html
    assert "Mark done" not in html and 'value="link"' not in html and "Unlink" not in html
    assert "Carla Camden" not in html and "Sam Soho" in html


@pytest.mark.parametrize("confirmed", ["", "on"])
def test_a_crafted_completion_tells_nobody_and_names_nobody_elsewhere(wide, manager, confirmed):
    data = {"action": "complete", "do": "complete", "message": MESSAGE, "confirmed": confirmed}
    response = signed_in(manager).post(wide.get_absolute_url(), data | {"expected": str(wide.camden_case.pk)})
    assert response.status_code == 400
    html = response.content.decode()
    assert str(services.CASES_ELSEWHERE) in html and "Carla Camden" not in html
    wide.refresh_from_db()
    assert wide.state == "open" and not FollowUp.objects.exists()


def test_the_edit_page_sends_such_a_manager_back(wide, manager):
    response = signed_in(manager).get(reverse("corrective:edit", args=[wide.pk]))
    assert response.status_code == 302 and response.url == wide.get_absolute_url()


def test_the_case_page_does_not_offer_such_an_action_to_link(wide, manager, soho, case_at):
    case = case_at(soho)
    ours = CorrectiveActionFactory(location=None, title="Label the shelves")
    page = signed_in(manager).get(case.get_absolute_url())
    linkable = page.context["corrective"].linkable
    assert ours in linkable and wide not in linkable


# What the page says before and at marking done


def test_the_badge_says_the_truth_for_each_linked_customer(manager, action, soho, case_at):
    agreed = case_at(soho, name="Ann Agreed")
    refused = case_at(soho, name="Rob Refused", contact_consent=False)
    unreachable = case_at(soho, name="Una Unreachable", email="", phone="")
    for case in (agreed, refused, unreachable):
        services.corrective_action_link_case(action=action, case=case, actor=manager)
    rows = {row["link"].case: row["status"].label for row in selectors.action_cases(action, manager).rows}
    assert rows[agreed] == "The customer is told when the fix is done"
    assert rows[refused] == f"Will not be told: {selectors.NOT_TOLD_NO_CONSENT}"
    assert rows[unreachable] == f"Will not be told: {selectors.NOT_TOLD_NO_ADDRESS}"
    assert "The customer will not be told what changed" in refused.events.get().note
    assert "The customer hears what changed when it is done" in agreed.events.get().note


def test_marking_done_first_says_who_is_told_and_who_is_not(manager, action, soho, case_at):
    agreed = case_at(soho, name="Ann Agreed")
    refused = case_at(soho, name="Rob Refused", contact_consent=False)
    for case in (agreed, refused):
        services.corrective_action_link_case(action=action, case=case, actor=manager)
    client = signed_in(manager)

    asked = client.post(action.get_absolute_url(), {"action": "complete", "do": "complete", "message": MESSAGE})

    assert asked.status_code == 200
    html = asked.content.decode()
    assert f"Ann Agreed ({agreed.reference}, Soho), by email" in html
    assert f"Rob Refused ({refused.reference}): {selectors.NOT_TOLD_NO_CONSENT}" in html
    assert "Mark done and tell 1 customer?" in html
    action.refresh_from_db()
    assert action.state == "open" and not FollowUp.objects.exists()

    expected = re.search(r'name="expected" value="([^"]*)"', html).group(1)
    message = re.search(r'<textarea name="message" hidden aria-hidden="true">([^<]*)</textarea>', html).group(1)
    done = client.post(
        action.get_absolute_url(),
        {"action": "complete", "do": "complete", "message": message, "confirmed": "on", "expected": expected},
    )
    assert done.status_code == 302
    action.refresh_from_db()
    assert action.state == "done" and action.customer_message == MESSAGE
    assert FollowUp.objects.get(purpose="corrective_message").case == agreed


def test_a_case_linked_after_the_confirmation_is_confirmed_again(manager, action, soho, case_at):
    first = case_at(soho)
    services.corrective_action_link_case(action=action, case=first, actor=manager)
    expected = selectors.completion_plan(action).expected
    services.corrective_action_link_case(action=action, case=case_at(soho, name="Late Linked"), actor=manager)

    response = signed_in(manager).post(
        action.get_absolute_url(),
        {"action": "complete", "do": "complete", "message": MESSAGE, "confirmed": "on", "expected": expected},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert str(COMPLETION_CHANGED) in html and "Late Linked" in html
    action.refresh_from_db()
    assert action.state == "open" and not FollowUp.objects.exists()


def test_the_confirmation_has_no_inline_script_or_style():
    partial = (Path(settings.BASE_DIR) / "templates/corrective/_confirm_complete.html").read_text()
    assert "<script" not in partial and "style=" not in partial
    assert not re.search(r"\son\w+=", partial)  # no onclick= and the like


def test_linking_from_the_case_page_says_whether_this_customer_will_hear(manager, action, soho, case_at):
    refused = case_at(soho, contact_consent=False)
    response = signed_in(manager).post(
        reverse("corrective:link_case", args=[refused.pk]),
        {"action": "corrective_link", "corrective_action": action.pk},
        follow=True,
    )
    said = [str(message) for message in response.context["messages"]]
    assert said == [
        f"Linked to “{action.title}”. The customer will not be told what changed: has not agreed to be contacted."
    ]
