from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from corrective import services
from corrective.models import CorrectiveAction
from corrective.views import CASE_NOT_FOUND
from followups.models import FollowUp
from followups.services import followup_send
from tests.conftest import signed_in
from tests.factories import CorrectiveActionFactory, staff

MESSAGE = "From now on the chef checks every oven at opening time."


def form_data(owner, **changes):
    data = {
        "title": "Check the oven daily",
        "kind": "process",
        "description": "Opening checklist gets an oven temperature line.",
        "location": "",
        "owner": owner.pk,
        "due_date": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "customer_message": "",
        "case_reference": "",
    }
    return {**data, **changes}


def detail_post(client, target, /, **data):
    return client.post(reverse("corrective:detail", args=[target.pk]), data)


def complete(client, target, message=MESSAGE):
    """Mark done as the page does: ask, read the confirmation, confirm what it named."""
    asked = detail_post(client, target, action="complete", do="complete", message=message)
    expected = asked.context["plan"].expected if asked.context and "plan" in asked.context else ""
    return detail_post(
        client, target, action="complete", do="complete", message=message, confirmed="on", expected=expected
    )


# Access by role and location


def test_frontline_sees_the_list_and_an_action_but_cannot_create_or_change(frontline, action):
    client = signed_in(frontline)
    assert client.get(reverse("corrective:list")).status_code == 200
    page = client.get(action.get_absolute_url())
    assert page.status_code == 200
    assert "Mark done and tell" not in page.content.decode()
    assert client.get(reverse("corrective:create")).status_code == 403
    assert client.get(reverse("corrective:edit", args=[action.pk])).status_code == 403
    assert detail_post(client, action, action="start").status_code == 403
    action.refresh_from_db()
    assert action.state == "open"


def test_the_navigation_shows_corrective_actions_to_frontline(frontline):
    page = signed_in(frontline).get(reverse("corrective:list"))
    assert f'href="{reverse("corrective:list")}">Corrective actions</a>' in page.content.decode()


def test_a_manager_of_another_location_gets_404(action, camden):
    client = signed_in(staff(Role.MANAGER, camden))
    assert client.get(action.get_absolute_url()).status_code == 404
    assert client.get(reverse("corrective:edit", args=[action.pk])).status_code == 404
    assert detail_post(client, action, action="start").status_code == 404
    assert action not in client.get(reverse("corrective:list")).context["page"].object_list


def test_business_wide_actions_are_seen_by_managers_everywhere(manager, camden):
    business_wide = CorrectiveActionFactory(location=None)
    for user in (manager, staff(Role.MANAGER, camden)):
        assert signed_in(user).get(business_wide.get_absolute_url()).status_code == 200


# Create and edit


def test_a_manager_records_an_action(manager, soho):
    response = signed_in(manager).post(reverse("corrective:create"), form_data(manager, location=soho.pk))
    action = CorrectiveAction.objects.get()
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert (action.location, action.owner, action.kind) == (soho, manager, "process")


def test_bad_input_keeps_what_was_typed(manager, soho):
    data = form_data(manager, location=soho.pk, due_date="", description="Typed with care")
    response = signed_in(manager).post(reverse("corrective:create"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose a due date." in html
    assert "Typed with care" in html and 'value="Check the oven daily"' in html
    assert not CorrectiveAction.objects.exists()


def test_frontline_staff_cannot_be_made_responsible(manager, frontline, soho):
    response = signed_in(manager).post(reverse("corrective:create"), form_data(frontline, location=soho.pk))
    # frontline is not offered as responsible at all
    assert response.status_code == 400
    assert "Choose a manager from the list." in response.content.decode()


def test_a_case_reference_that_is_not_yours_keeps_the_form(manager, soho, camden, case_at):
    elsewhere = case_at(camden)
    data = form_data(manager, case_reference=elsewhere.reference)
    response = signed_in(manager).post(reverse("corrective:create"), data)
    assert response.status_code == 400
    assert CASE_NOT_FOUND.format(reference=elsewhere.reference) in response.content.decode()
    assert not CorrectiveAction.objects.exists()


def test_new_action_from_a_case_prefills_the_case(manager, soho_case):
    page = signed_in(manager).get(reverse("corrective:create") + f"?case={soho_case.pk}")
    assert page.context["form"].initial["case_reference"] == soho_case.reference
    assert page.context["form"].initial["location"] == soho_case.location_id
    response = signed_in(manager).post(
        reverse("corrective:create"),
        form_data(manager, location=soho_case.location_id, case_reference=soho_case.reference),
    )
    assert response.status_code == 302
    assert list(CorrectiveAction.objects.get().cases.all()) == [soho_case]


def test_editing_changes_the_details(manager, action):
    data = form_data(manager, title="Check the oven twice a day")
    response = signed_in(manager).post(reverse("corrective:edit", args=[action.pk]), data)
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "Check the oven twice a day"


# The action's page


def test_linking_by_reference(manager, action, soho_case):
    response = detail_post(signed_in(manager), action, action="link", reference=f" sr-{soho_case.pk} ")
    assert response.status_code == 302
    assert list(action.cases.all()) == [soho_case]


@pytest.mark.parametrize("where", ["nowhere", "camden"])
def test_linking_a_case_not_found_or_not_yours_says_so(manager, action, camden, case_at, where):
    reference = "SR-999999" if where == "nowhere" else case_at(camden).reference
    response = detail_post(signed_in(manager), action, action="link", reference=reference)
    assert response.status_code == 400
    html = response.content.decode()
    assert CASE_NOT_FOUND.format(reference=reference) in html
    assert f'value="{reference}"' in html
    assert not action.links.exists()


def test_preview_keeps_the_text_and_shows_the_message(manager, action, soho_case):
    services.corrective_action_link_case(action=action, case=soho_case, actor=manager)
    response = detail_post(signed_in(manager), action, action="complete", do="preview", message=MESSAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert f">{MESSAGE}</textarea>" in html
    preview = response.context["preview"]
    assert preview["case"] == soho_case
    assert MESSAGE in preview["composed"].text and "Alice" in preview["composed"].text
    assert "What we changed after your experience with us" in html
    action.refresh_from_db()
    assert action.state == "open" and not FollowUp.objects.exists()


def test_the_button_says_how_many_customers_will_be_told(manager, action, soho, case_at):
    for consent in (True, True, False):
        services.corrective_action_link_case(action=action, case=case_at(soho, contact_consent=consent), actor=manager)
    assert "Mark done and tell 2 customers" in signed_in(manager).get(action.get_absolute_url()).content.decode()


def test_completing_with_no_message_keeps_the_page_and_says_why(manager, action, soho_case):
    services.corrective_action_link_case(action=action, case=soho_case, actor=manager)
    response = detail_post(signed_in(manager), action, action="complete", do="complete", message="  ")
    assert response.status_code == 400
    assert str(services.MESSAGE_NEEDED) in response.content.decode()
    action.refresh_from_db()
    assert action.state == "open"


def test_completing_twice_from_the_page_tells_once(manager, action, soho_case):
    services.corrective_action_link_case(action=action, case=soho_case, actor=manager)
    client = signed_in(manager)
    for _ in range(2):
        assert complete(client, action).status_code == 302
    assert FollowUp.objects.filter(purpose="corrective_message").count() == 1


def test_a_refused_move_shows_the_reason(manager, soho):
    done = CorrectiveActionFactory(location=soho, state="done", done_at=timezone.now())
    response = detail_post(signed_in(manager), done, action="cancel")
    assert response.status_code == 400
    assert "cannot move from done to cancelled" in response.content.decode()


# The case page


def test_the_case_page_shows_the_customer_was_told_once_the_message_is_sent(manager, action, soho_case):
    services.corrective_action_link_case(action=action, case=soho_case, actor=manager)
    client = signed_in(manager)
    complete(client, action)
    page = client.get(soho_case.get_absolute_url()).content.decode()
    assert "Will be told" in page and "Corrective measure communicated" not in page

    assert followup_send(followup_id=action.links.get().followup_id) is True

    page = client.get(soho_case.get_absolute_url()).content.decode()
    assert "Fixing the cause" in page and "Check the oven daily" in page
    assert "Corrective measure communicated" in page


def test_the_case_page_says_why_a_customer_was_not_told(manager, action, soho, case_at):
    case = case_at(soho, contact_consent=False)
    services.corrective_action_link_case(action=action, case=case, actor=manager)
    services.corrective_action_complete(action=action, actor=manager, message=MESSAGE)
    page = signed_in(manager).get(case.get_absolute_url()).content.decode()
    assert "Not told: has not agreed to be contacted" in page


def test_a_manager_links_the_case_from_the_case_page(manager, action, soho_case):
    client = signed_in(manager)
    page = client.get(soho_case.get_absolute_url())
    assert page.context["corrective"].linkable == [action]
    response = client.post(
        reverse("corrective:link_case", args=[soho_case.pk]),
        {"action": "corrective_link", "corrective_action": action.pk},
    )
    assert response.status_code == 302 and response.url.endswith("#corrective")
    assert list(action.cases.all()) == [soho_case]


def test_frontline_cannot_link_from_the_case_page(frontline, action, soho_case):
    client = signed_in(frontline)
    assert "Link this case to an open action" not in client.get(soho_case.get_absolute_url()).content.decode()
    response = client.post(
        reverse("corrective:link_case", args=[soho_case.pk]),
        {"action": "corrective_link", "corrective_action": action.pk},
    )
    assert response.status_code == 403
    assert not action.links.exists()


def test_linking_from_the_case_page_to_an_action_you_cannot_see_is_refused(manager, soho_case, camden):
    hidden = CorrectiveActionFactory(location=camden)
    response = signed_in(manager).post(
        reverse("corrective:link_case", args=[soho_case.pk]),
        {"action": "corrective_link", "corrective_action": hidden.pk},
    )
    assert response.status_code == 400
    assert "That corrective action is not one you can see." in response.content.decode()


# The list


def test_overdue_actions_stand_out_and_can_be_filtered(manager, soho):
    late = CorrectiveActionFactory(location=soho, due_date=timezone.localdate() - timedelta(days=2), title="Late one")
    on_time = CorrectiveActionFactory(location=soho, title="On time")
    client = signed_in(manager)
    page = client.get(reverse("corrective:list"))
    assert set(page.context["page"].object_list) == {late, on_time}
    assert '<tr class="overdue">' in page.content.decode()
    overdue = client.get(reverse("corrective:list"), {"state": "active", "overdue": "on"})
    assert overdue.context["page"].object_list == [late]


def test_the_list_filters_by_state(manager, soho):
    done = CorrectiveActionFactory(location=soho, state="done", done_at=timezone.now())
    open_one = CorrectiveActionFactory(location=soho)
    client = signed_in(manager)
    assert client.get(reverse("corrective:list")).context["page"].object_list == [open_one]
    assert client.get(reverse("corrective:list"), {"state": "done"}).context["page"].object_list == [done]


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_list_queries_do_not_grow_with_rows(manager, soho, case_at):
    client = signed_in(manager)
    url = reverse("corrective:list")
    counts = []
    for rows in (5, 45):  # 5, then 50
        for action in CorrectiveActionFactory.create_batch(rows, location=soho, owner=manager, created_by=manager):
            services.corrective_action_link_case(action=action, case=case_at(soho), actor=manager)
        counts.append(queries_for(client, url))
    assert len(client.get(url).context["page"].object_list) == 50
    assert counts[0] == counts[1] <= 10


def test_action_page_queries_do_not_grow_with_linked_cases(manager, action, soho, case_at):
    client = signed_in(manager)
    counts = []
    for rows in (5, 45):
        for _ in range(rows):
            services.corrective_action_link_case(action=action, case=case_at(soho), actor=manager)
        counts.append(queries_for(client, action.get_absolute_url()))
    assert counts[0] == counts[1] <= 15


def test_case_page_queries_do_not_grow_with_linked_actions(manager, soho, soho_case):
    client = signed_in(manager)
    counts = []
    for rows in (5, 45):
        for action in CorrectiveActionFactory.create_batch(rows, location=soho, owner=manager, created_by=manager):
            services.corrective_action_link_case(action=action, case=soho_case, actor=manager)
        CorrectiveActionFactory.create_batch(rows, location=soho, owner=manager, created_by=manager)  # linkable
        counts.append(queries_for(client, soho_case.get_absolute_url()))
    assert counts[0] == counts[1]
