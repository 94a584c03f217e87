"""Follow-ups, corrective actions and the audit log through the API: the pages' selectors, forms and
services, their rights and their messages."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.roles import Role
from corrective import services as corrective_services
from corrective.models import CorrectiveAction
from followups.models import FollowUp
from followups.services.scheduling import ESCALATION_FOR_MANAGERS, NOT_DONE_ABLE
from tests.api.conftest import as_user, integration
from tests.factories import (
    CaseFactory,
    CorrectiveActionFactory,
    CustomerFactory,
    EventFactory,
    ProposalFactory,
    ProposalLineFactory,
    staff,
)


def reminder(case, recipient=None, *, kind="staff_reminder", hours=1, **fields):
    return FollowUp.objects.create(
        case=case,
        kind=kind,
        channel=fields.pop("channel", "in_app"),
        recipient=recipient,
        subject=fields.pop("subject", "Ring them back"),
        due_at=timezone.now() + timedelta(hours=hours),
        **fields,
    )


# ---------------------------------------------------------------------------
# Follow-ups
# ---------------------------------------------------------------------------


def test_the_due_list_is_the_follow_up_pages(soho, frontline, manager):
    case = CaseFactory(location=soho)
    later, sooner = reminder(case, frontline, hours=5), reminder(case, frontline, hours=1)
    reminder(case, manager)  # someone else's
    reminder(CaseFactory(location=soho, state="closed", outcome="retained", closed_at=timezone.now()), frontline)
    rows = as_user(frontline).get("/api/v1/followups/").json()["results"]
    assert [row["id"] for row in rows] == [sooner.pk, later.pk]
    assert rows[0]["case"] == {"id": case.pk, "reference": case.reference}
    assert rows[0]["due_at"].endswith("+00:00") and rows[0]["recipient"]["id"] == frontline.pk


def test_managers_see_their_locations_escalations(soho, camden, manager):
    here = reminder(CaseFactory(location=soho), kind="escalation")
    reminder(CaseFactory(location=camden), kind="escalation")
    rows = as_user(manager).get("/api/v1/followups/").json()["results"]
    assert [row["id"] for row in rows] == [here.pk]


def test_a_cases_follow_ups_soonest_first(soho, frontline):
    case = CaseFactory(location=soho)
    later, sooner = reminder(case, frontline, hours=3), reminder(case, None, kind="escalation", hours=2)
    rows = as_user(frontline).get(f"/api/v1/cases/{case.pk}/followups/").json()["results"]
    assert [row["id"] for row in rows] == [sooner.pk, later.pk]


def test_marking_a_reminder_done(soho, frontline):
    followup = reminder(CaseFactory(location=soho), frontline)
    response = as_user(frontline).post(f"/api/v1/followups/{followup.pk}/done/", format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "done" and body["done_by"]["id"] == frontline.pk and body["done_at"]
    assert followup.case.events.filter(kind="followup.done").count() == 1


@pytest.mark.parametrize(
    ("kind", "message"),
    [("escalation", ESCALATION_FOR_MANAGERS), ("customer_message", NOT_DONE_ABLE)],
)
def test_what_frontline_may_not_mark_done(soho, frontline, kind, message):
    followup = reminder(
        CaseFactory(location=soho), kind=kind, purpose="remedy_message" if kind != "escalation" else "manual"
    )
    response = as_user(frontline).post(f"/api/v1/followups/{followup.pk}/done/", format="json")
    assert response.status_code == 422
    assert response.json()["detail"] == message
    followup.refresh_from_db()
    assert followup.state == "scheduled"


def test_an_escalation_is_a_managers_to_settle(soho, manager):
    followup = reminder(CaseFactory(location=soho), kind="escalation")
    assert as_user(manager).post(f"/api/v1/followups/{followup.pk}/done/").json()["state"] == "done"


# ---------------------------------------------------------------------------
# Corrective actions
# ---------------------------------------------------------------------------


def action_body(owner, **changes):
    body = {
        "title": "Check the oven daily",
        "kind": "process",
        "description": "A checklist at opening.",
        "owner": owner.pk,
        "due_date": (timezone.localdate() + timedelta(days=14)).isoformat(),
    }
    body.update(changes)
    return body


def test_a_manager_records_an_action_from_a_case(soho, manager):
    customer = CustomerFactory(home_location=soho, contact_consent=True, email="told@example.com")
    case = CaseFactory(location=soho, customer=customer)
    response = as_user(manager).post(
        "/api/v1/corrective-actions/", action_body(manager, location=soho.pk, case=case.pk), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/corrective-actions/{body['id']}/"
    assert (body["state"], body["location"]["id"], body["owner"]["id"]) == ("open", soho.pk, manager.pk)
    [linked] = body["cases"]
    assert linked["case"]["id"] == case.pk
    assert linked["communication"]["label"] == "The customer is told when the fix is done"
    assert body["to_tell"] == 1 and body["cases_elsewhere"] == 0
    assert case.events.filter(kind="corrective_action.linked").count() == 1


def test_frontline_cannot_record_one(soho, frontline, manager):
    response = as_user(frontline).post("/api/v1/corrective-actions/", action_body(manager), format="json")
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"location": "camden"}, {"location": ["Choose one of your locations."]}),
        ({"owner": "frontline"}, {"owner": ["Choose a manager from the list."]}),
        ({"due_date": "yesterday"}, {"due_date": [str(corrective_services.DUE_IN_PAST)]}),
    ],
)
def test_the_pages_checks_and_messages(soho, camden, manager, frontline, changes, errors):
    values = {
        "camden": camden.pk,
        "frontline": frontline.pk,
        "yesterday": (timezone.localdate() - timedelta(days=1)).isoformat(),
    }
    body = {**action_body(manager, location=soho.pk), **{key: values[value] for key, value in changes.items()}}
    response = as_user(manager).post("/api/v1/corrective-actions/", body, format="json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == errors
    assert not CorrectiveAction.objects.exists()


def test_linking_a_case_once(soho, manager):
    action = CorrectiveActionFactory(location=soho, owner=manager, created_by=manager)
    case = CaseFactory(location=soho)
    api = as_user(manager)
    first = api.post(f"/api/v1/corrective-actions/{action.pk}/cases/", {"case": case.pk}, format="json")
    assert first.status_code == 201, first.content
    again = api.post(f"/api/v1/corrective-actions/{action.pk}/cases/", {"case": case.pk}, format="json")
    assert again.status_code == 200 and [row["case"]["id"] for row in again.json()["cases"]] == [case.pk]


def test_a_case_out_of_reach_is_refused_by_name(soho, camden, manager):
    action = CorrectiveActionFactory(location=soho, owner=manager, created_by=manager)
    elsewhere = CaseFactory(location=camden)
    response = as_user(manager).post(
        f"/api/v1/corrective-actions/{action.pk}/cases/", {"case": elsewhere.pk}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"case": [f"{elsewhere.reference} is not at one of your locations."]}


def test_a_case_at_another_location_than_the_actions(soho, camden, owner):
    action = CorrectiveActionFactory(location=soho)
    elsewhere = CaseFactory(location=camden)
    response = as_user(owner).post(
        f"/api/v1/corrective-actions/{action.pk}/cases/", {"case": elsewhere.pk}, format="json"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["case"]


def test_completing_tells_the_customers(soho, manager):
    customer = CustomerFactory(home_location=soho, contact_consent=True, email="told@example.com")
    action = CorrectiveActionFactory(location=soho, owner=manager, created_by=manager)
    corrective_services.corrective_action_link_case(
        action=action, case=CaseFactory(location=soho, customer=customer), actor=manager
    )
    api = as_user(manager)
    refused = api.post(f"/api/v1/corrective-actions/{action.pk}/completion/", {"message": " "}, format="json")
    assert refused.status_code == 422
    done = api.post(f"/api/v1/corrective-actions/{action.pk}/completion/", {"message": "A new oven."}, format="json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["state"] == "done" and body["customer_message"] == "A new oven."
    assert body["cases"][0]["communication"]["label"] == "Will be told"
    assert FollowUp.objects.filter(purpose="corrective_message").count() == 1
    twice = api.post(f"/api/v1/corrective-actions/{action.pk}/completion/", {"message": "Again."}, format="json")
    assert twice.status_code == 200 and FollowUp.objects.filter(purpose="corrective_message").count() == 1


def test_the_list_takes_the_pages_filters(soho, camden, manager):
    open_one = CorrectiveActionFactory(location=soho)
    done = CorrectiveActionFactory(location=soho, state="done", done_at=timezone.now())
    CorrectiveActionFactory(location=camden)
    wide = CorrectiveActionFactory(location=None)
    api = as_user(manager)
    active = [row["id"] for row in api.get("/api/v1/corrective-actions/").json()["results"]]
    assert set(active) == {open_one.pk, wide.pk}
    assert [row["id"] for row in api.get("/api/v1/corrective-actions/", {"state": "done"}).json()["results"]] == [
        done.pk
    ]
    bad = api.get("/api/v1/corrective-actions/", {"state": "sideways"})
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["state"]


# ---------------------------------------------------------------------------
# The audit log
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_only_owners_read_the_audit_log(soho, role):
    assert as_user(staff(role, soho)).get("/api/v1/audit/").status_code == 403


def test_the_audit_log_newest_first_with_the_pages_filters(soho, camden, owner):
    case = CaseFactory(location=soho)
    older = EventFactory(case=case, kind="case.note_added", created_at=timezone.now() - timedelta(days=2))
    newer = EventFactory(case=case, kind="case.assigned", created_at=timezone.now() - timedelta(days=1))
    other = EventFactory(case=CaseFactory(location=camden), kind="case.note_added")
    api = as_user(owner)
    rows = api.get("/api/v1/audit/", {"q": case.reference}).json()["results"]
    assert [row["id"] for row in rows] == [newer.pk, older.pk]
    assert rows[0]["case"] == {"id": case.pk, "reference": case.reference}
    notes = [row["id"] for row in api.get("/api/v1/audit/", {"kind": "case.note_added"}).json()["results"]]
    assert notes[:2] == [other.pk, older.pk]
    bad = api.get("/api/v1/audit/", {"since": "last tuesday"})
    assert bad.status_code == 422 and list(bad.json()["errors"]) == ["since"]


def test_an_integration_acting_as_an_owner_reads_its_own_locations_log(soho, camden, owner):
    here = EventFactory(case=CaseFactory(location=soho), kind="case.note_added")
    there = EventFactory(case=CaseFactory(location=camden), kind="case.note_added")
    ids = {row["id"] for row in integration(owner, soho, Role.OWNER).get("/api/v1/audit/").json()["results"]}
    assert here.pk in ids and there.pk not in ids
    everything = {row["id"] for row in as_user(owner).get("/api/v1/audit/").json()["results"]}
    assert {here.pk, there.pk} <= everything


def test_the_audit_log_pages_by_cursor(soho, owner):
    case = CaseFactory(location=soho)
    for _ in range(5):
        EventFactory(case=case, kind="case.note_added")
    api = as_user(owner)
    first = api.get("/api/v1/audit/", {"page_size": 3, "q": case.reference}).json()
    second = api.get(first["next"]).json()
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert len(ids) == len(set(ids)) == 5 and second["next"] is None


# ---------------------------------------------------------------------------
# Every list: a fixed number of queries, whatever its length
# ---------------------------------------------------------------------------


def pending_for_queue(soho):
    from_ = staff(Role.FRONTLINE, soho)
    case = CaseFactory(location=soho, state="awaiting_approval")
    proposal = ProposalFactory(case=case, state="pending", approver_role="Manager", proposed_by=from_)
    ProposalLineFactory(proposal=proposal)


def one_of_each(soho, manager, owner):
    """A row for every list, at Soho, as each list's reader sees it."""
    case = CaseFactory(location=soho)
    pending_for_queue(soho)
    reminder(case, manager)
    CorrectiveActionFactory(location=soho)
    EventFactory(case=case, actor=owner)


LISTS = ["/api/v1/approvals/", "/api/v1/followups/", "/api/v1/corrective-actions/", "/api/v1/audit/"]


@pytest.mark.parametrize("path", LISTS)
def test_each_list_reads_a_fixed_number_of_queries(soho, manager, owner, path, django_assert_max_num_queries):
    reader = owner if path == "/api/v1/audit/" else manager
    api = as_user(reader)
    api.get(path)  # the token's last use written
    for count in (5, 40):
        for _ in range(count):
            one_of_each(soho, manager, reader)
        with django_assert_max_num_queries(10):
            assert len(api.get(path, {"page_size": 100}).json()["results"]) >= count


def test_a_cases_proposals_read_a_fixed_number_of_queries(soho, manager, django_assert_max_num_queries):
    case = CaseFactory(location=soho)
    api = as_user(manager)
    api.get(f"/api/v1/cases/{case.pk}/proposals/")
    for count in (5, 40):
        for _ in range(count):
            ProposalLineFactory(proposal=ProposalFactory(case=case, state="rejected"), delivered_by=manager)
        with django_assert_max_num_queries(10):
            assert len(api.get(f"/api/v1/cases/{case.pk}/proposals/", {"page_size": 100}).json()["results"]) >= count


# ---------------------------------------------------------------------------
# Bad input is never a 500
# ---------------------------------------------------------------------------

BAD = [
    ("/api/v1/cases/{case}/proposals/", {"rank": "first"}),
    ("/api/v1/cases/{case}/proposals/", {"rank": 2**70}),
    ("/api/v1/cases/{case}/proposals/", {"lines": "gift card"}),
    ("/api/v1/cases/{case}/proposals/", {"lines": [123]}),
    ("/api/v1/cases/{case}/proposals/", {"lines": []}),
    ("/api/v1/cases/{case}/proposals/", {"lines": [{"kind": "gift_card", "face_value": {"amount": "1e400"}}]}),
    ("/api/v1/cases/{case}/proposals/", {"lines": [{"kind": "discount", "percent": "NaN"}]}),
    ("/api/v1/cases/{case}/proposals/", []),
    ("/api/v1/proposals/{proposal}/decision/", {"decision": "approve"}),
    ("/api/v1/proposals/{proposal}/decision/", {"decision": "approve", "revision": 2**70}),
    ("/api/v1/proposals/{proposal}/decision/", {"decision": "maybe", "revision": 1}),
    ("/api/v1/proposals/{proposal}/decision/", {"decision": "amend", "revision": 1, "reason": "x", "lines": [{}]}),
    ("/api/v1/remedies/{line}/delivery/", {"reference": "x" * 201}),
    ("/api/v1/remedies/{line}/delivery/", {"reference": ["GC-1"]}),
    (
        "/api/v1/corrective-actions/",
        {"title": "Fix", "kind": "process", "description": "d", "owner": 1, "due_date": "2026-13-40"},
    ),
    ("/api/v1/corrective-actions/{action}/cases/", {"case": 2**70}),
    ("/api/v1/corrective-actions/{action}/cases/", {"case": "SR-000001"}),
    ("/api/v1/corrective-actions/{action}/completion/", {"message": None}),
]


@pytest.mark.parametrize(("path", "body"), BAD)
def test_bad_input_is_a_problem_not_a_crash(soho, manager, path, body):
    case = CaseFactory(location=soho, state="awaiting_approval", order_value=Decimal("64"), lost="all")
    proposal = ProposalFactory(
        case=case, state="pending", approver_role="Manager", proposed_by=staff(Role.FRONTLINE, soho)
    )
    line = ProposalLineFactory(proposal=ProposalFactory(case=CaseFactory(location=soho), state="approved"))
    action = CorrectiveActionFactory(location=soho, owner=manager)
    url = path.format(case=case.pk, proposal=proposal.pk, line=line.pk, action=action.pk)
    response = as_user(manager).post(url, body, format="json")
    assert response.status_code == 422, response.content
    assert response["Content-Type"] == "application/problem+json" and response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/api/v1/corrective-actions/", {"overdue": "null"}, "overdue"),
        ("/api/v1/corrective-actions/", {"state": ""}, "state"),
        ("/api/v1/audit/", {"until": ""}, "until"),
        ("/api/v1/audit/", {"kind": ""}, "kind"),
    ],
)
def test_a_typed_filter_given_without_a_value_is_a_problem_naming_it(soho, owner, path, query, field):
    response = as_user(owner).get(path, query)
    assert response.status_code == 422 and field in response.json()["errors"]


def test_the_overdue_filter_of_the_actions_reads_false_as_false(soho, owner):
    late = CorrectiveActionFactory(location=soho, due_date=timezone.localdate() - timedelta(days=3))
    on_time = CorrectiveActionFactory(location=soho, due_date=timezone.localdate() + timedelta(days=3))

    def ids(overdue):
        rows = as_user(owner).get("/api/v1/corrective-actions/", {"overdue": overdue}).json()["results"]
        return {row["id"] for row in rows}

    assert late.pk in ids("true") and on_time.pk not in ids("true")
    assert {late.pk, on_time.pk} <= ids("false")
