"""Who may move, cancel, tick off or try again each kind of follow-up: the services refuse a
crafted POST, and the page shows exactly the buttons the rule allows."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp
from followups.rights import Action, allowed
from followups.services.scheduling import ESCALATION_FOR_MANAGERS, FAILED_FOR_MANAGERS, MESSAGE_FOR_MANAGERS
from followups.states import FollowUpState
from tests.conftest import signed_in
from tests.factories import CaseFactory

LATER = timedelta(days=2)


def local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def case(soho, frontline):
    return CaseFactory(location=soho, created_by=frontline)


def followup(case, kind, state="scheduled", **fields) -> FollowUp:
    purpose = {"customer_message": "remedy_message", "satisfaction_check": "satisfaction_check"}.get(kind, "manual")
    channel = "email" if purpose != "manual" else "in_app"
    return FollowUp.objects.create(
        case=case, kind=kind, purpose=purpose, channel=channel, subject=f"A {kind}", state=state,
        due_at=timezone.now() + timedelta(hours=1), **fields,
    )  # fmt: skip


def test_the_rule_by_kind_state_and_role():
    scheduled, failed = FollowUpState.SCHEDULED, FollowUpState.FAILED
    assert allowed(kind="staff_reminder", state=scheduled, resolves=False) == {Action.MOVE, Action.CANCEL, Action.DONE}
    assert allowed(kind="escalation", state=scheduled, resolves=False) == set()
    assert allowed(kind="escalation", state=scheduled, resolves=True) == {Action.MOVE, Action.CANCEL, Action.DONE}
    assert allowed(kind="customer_message", state=scheduled, resolves=False) == set()
    assert allowed(kind="customer_message", state=scheduled, resolves=True) == {Action.MOVE, Action.CANCEL}
    assert allowed(kind="customer_message", state=failed, resolves=False) == set()
    assert allowed(kind="customer_message", state=failed, resolves=True) == {Action.RETRY, Action.CANCEL}
    assert allowed(kind="staff_reminder", state=FollowUpState.SENT, resolves=False) == {Action.DONE}
    assert allowed(kind="staff_reminder", state=FollowUpState.DONE, resolves=True) == set()


FORBIDDEN = [
    ("escalation", "scheduled", "followup_move", ESCALATION_FOR_MANAGERS),
    ("escalation", "scheduled", "followup_cancel", ESCALATION_FOR_MANAGERS),
    ("escalation", "scheduled", "followup_done", ESCALATION_FOR_MANAGERS),
    ("customer_message", "scheduled", "followup_move", MESSAGE_FOR_MANAGERS),
    ("customer_message", "scheduled", "followup_cancel", MESSAGE_FOR_MANAGERS),
    ("satisfaction_check", "scheduled", "followup_cancel", MESSAGE_FOR_MANAGERS),
    ("customer_message", "failed", "followup_cancel", FAILED_FOR_MANAGERS),
    # Moving a failed message re-queues it: trying again by another name.
    ("customer_message", "failed", "followup_move", FAILED_FOR_MANAGERS),
    ("staff_reminder", "failed", "followup_move", FAILED_FOR_MANAGERS),
]


@pytest.mark.parametrize(("kind", "state", "action", "message"), FORBIDDEN)
def test_frontline_cannot_do_by_a_crafted_post_what_the_page_does_not_offer(
    case, frontline_client, kind, state, action, message
):
    target = followup(case, kind, state)
    data = {"action": action, "followup": target.pk, "due_at": local(timezone.now() + LATER)}
    response = frontline_client.post(reverse("followups:case", kwargs={"pk": case.pk}), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    before_due = target.due_at
    target.refresh_from_db()
    assert (target.state, target.due_at) == (state, before_due)
    assert not case.events.exists()


@pytest.mark.parametrize(("kind", "state", "action", "message"), FORBIDDEN)
def test_a_manager_can(case, manager, kind, state, action, message):
    target = followup(case, kind, state)
    data = {"action": action, "followup": target.pk, "due_at": local(timezone.now() + LATER)}
    response = signed_in(manager).post(reverse("followups:case", kwargs={"pk": case.pk}), data)
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.state == {"followup_cancel": "cancelled", "followup_done": "done"}.get(action, "scheduled")


@pytest.mark.parametrize("who", ["frontline", "manager"])
def test_the_case_page_shows_exactly_the_buttons_the_rule_allows(case, request, who):
    user = request.getfixturevalue(who)
    rows = [
        followup(case, kind, state)
        for kind in ("staff_reminder", "escalation", "customer_message", "satisfaction_check")
        for state in ("scheduled", "failed", "sent")
    ]
    page = signed_in(user).get(case.get_absolute_url()).content.decode()
    resolves = user.has_perm("followups.resolve_followup")
    forms = re.findall(r'value="followup_(\w+)"><input type="hidden" name="followup" value="(\d+)"', page)
    for row in rows:
        shown = {name for name, pk in forms if int(pk) == row.pk}
        assert shown == allowed(kind=row.kind, state=FollowUpState(row.state), resolves=resolves), row.subject
