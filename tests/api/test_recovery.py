"""Suggestions, proposals, decisions and remedies through the API: the case page's options with
their evidence, offering one (as it stands or edited) under the same authority limits and budgets,
deciding once with the revision read (409 when stale), passing up to an owner, and delivering."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from cases.models import Case
from recovery.models import Proposal
from recovery.services import (
    ALREADY_DECIDED,
    BELOW_FLOOR,
    CHANGED_SINCE,
    REASON_NEEDED,
    SUGGESTION_GONE,
    decisions,
)
from recovery.services.delivery import NOT_APPROVED
from tests.api.conftest import as_user
from tests.factories import CaseFactory, ProposalFactory, ProposalLineFactory, staff


def propose(client, case, **body):
    return client.post(f"/api/v1/cases/{case.pk}/proposals/", body or {"rank": 1}, format="json")


def decide(client, proposal_id, **body):
    return client.post(f"/api/v1/proposals/{proposal_id}/decision/", body, format="json")


def test_the_suggestions_are_the_case_pages_with_their_evidence(meal_case, frontline):
    response = as_user(frontline).get(f"/api/v1/cases/{meal_case.pk}/suggestions/")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["next"] is None
    first = body["results"][0]
    assert first["rank"] == 1 and first["title"]
    assert first["compensation"] == {"amount": "71.00", "currency": "GBP"}
    assert first["needs_approval"] is True and first["approver"] == "Manager"
    assert first["lines"][0]["kind"] == "apology"
    assert first["evidence"]["heading"].startswith("Of 0 similar cases in the last 12 months")
    assert first["rejected"] is None


def test_no_suggestions_while_a_remedy_awaits_approval(meal_case, frontline):
    api = as_user(frontline)
    assert propose(api, meal_case).status_code == 201
    assert api.get(f"/api/v1/cases/{meal_case.pk}/suggestions/").json()["results"] == []


def test_taking_a_suggestion_above_ones_limit_waits_for_a_manager(meal_case, frontline):
    response = propose(as_user(frontline), meal_case, rank=1)
    assert response.status_code == 201, response.content
    body = response.json()
    assert response["Location"] == f"/api/v1/proposals/{body['id']}/"
    assert (body["state"], body["approver_role"], body["suggested_rank"]) == ("pending", "Manager", 1)
    assert body["compensation"] == {"amount": "71.00", "currency": "GBP"}
    assert body["evidence"]["similar"] == 0 and body["revision"] == 1
    assert Case.objects.get(pk=meal_case.pk).state == "awaiting_approval"


def test_a_rank_with_no_suggestion_is_refused(meal_case, frontline):
    api = as_user(frontline)
    options = api.get(f"/api/v1/cases/{meal_case.pk}/suggestions/").json()["results"]
    assert len(options) == 2  # this case's: the third is not there
    response = propose(api, meal_case, rank=3)
    assert response.status_code == 422
    assert response.json()["errors"] == {"rank": [str(SUGGESTION_GONE)]}
    assert not Proposal.objects.exists()


def test_remedies_of_ones_own_below_the_suggestion_need_a_reason(meal_case, frontline):
    api = as_user(frontline)
    lines = [{"kind": "gift_card", "face_value": {"amount": "20.00", "currency": "GBP"}}]
    refused = propose(api, meal_case, lines=lines, title="A gift card")
    assert refused.status_code == 422
    assert refused.json()["errors"] == {"below_floor_reason": [str(BELOW_FLOOR).format(floor="£71.00")]}
    taken = propose(api, meal_case, lines=lines, title="A gift card", below_floor_reason="They asked for a card.")
    assert taken.status_code == 201, taken.content
    body = taken.json()
    assert (body["state"], body["title"], body["below_floor_reason"]) == (
        "approved",
        "A gift card",
        "They asked for a card.",
    )
    assert [line["kind"] for line in body["lines"]] == ["apology", "gift_card"]
    assert body["deliver_by"].endswith("+00:00")


@pytest.mark.parametrize(
    ("lines", "errors"),
    [
        ([{"kind": "discount", "percent": "150"}], {"lines.0.percent": ["At most 100%."]}),
        ([{"kind": "apology"}], {"lines.0.kind": ['"apology" is not a valid choice.']}),
        (
            [{"kind": "gift_card", "face_value": "-1"}],
            {"lines.0.face_value.amount": ["Ensure this value is greater than or equal to 0."]},
        ),
    ],
)
def test_a_bad_line_is_named_by_its_place(meal_case, frontline, lines, errors):
    response = propose(as_user(frontline), meal_case, lines=lines)
    assert response.status_code == 422
    assert response.json()["errors"] == errors


def test_a_rank_or_lines_not_both(meal_case, frontline):
    response = propose(as_user(frontline), meal_case, rank=1, lines=[{"kind": "gift_card", "face_value": "5"}])
    assert response.status_code == 422 and list(response.json()["errors"]) == ["non_field_errors"]


def test_a_frontline_token_cannot_approve(meal_case, frontline, soho):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    other = staff(Role.FRONTLINE, soho)
    response = decide(as_user(other), proposal_id, decision="approve", revision=1)
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal_id).state == "pending"


def test_a_manager_approves_with_the_revision_read(meal_case, frontline, manager):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    response = decide(as_user(manager), proposal_id, decision="approve", revision=1)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "approved" and body["decided_by"]["id"] == manager.pk and body["revision"] == 2
    assert Case.objects.get(pk=meal_case.pk).state == "in_recovery"


def test_a_stale_revision_is_a_conflict(meal_case, frontline, manager):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    response = decide(as_user(manager), proposal_id, decision="approve", revision=0)
    assert response.status_code == 409
    assert response.json()["type"] == "urn:amends:problem:conflict"
    assert response.json()["detail"] == str(CHANGED_SINCE)


def test_deciding_what_another_decided_is_a_conflict_naming_them(meal_case, frontline, manager, soho):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    assert decide(as_user(manager), proposal_id, decision="approve", revision=1).status_code == 200
    second = staff(Role.MANAGER, soho)
    response = decide(as_user(second), proposal_id, decision="reject", reason="Too much.", revision=1)
    assert response.status_code == 409
    assert response.json()["detail"] == str(ALREADY_DECIDED).format(state="approved", who=manager)


def test_a_rejection_needs_a_reason(meal_case, frontline, manager):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    response = decide(as_user(manager), proposal_id, decision="reject", revision=1)
    assert response.status_code == 422
    assert response.json()["errors"] == {"reason": [str(REASON_NEEDED)]}
    rejected = decide(as_user(manager), proposal_id, decision="reject", reason="Ask them first.", revision=1)
    assert rejected.json()["state"] == "rejected"
    assert Case.objects.get(pk=meal_case.pk).state == "open"


def test_a_manager_amends_and_approves(meal_case, frontline, manager):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    lines = [{"kind": "partial_refund", "face_value": {"amount": "60.00"}, "reason": "Most of the meal."}]
    response = decide(
        as_user(manager), proposal_id, decision="amend", reason="A refund suits them.", revision=1, lines=lines
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "approved" and body["title"].endswith("(amended)")
    assert [(ln["kind"], ln["face_value"]["amount"]) for ln in body["lines"]] == [
        ("apology", "0.00"),
        ("partial_refund", "60.00"),
    ]


def test_an_amendment_takes_lines(meal_case, frontline, manager):
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    response = decide(as_user(manager), proposal_id, decision="amend", reason="Less.", revision=1)
    assert response.status_code == 422 and "lines" in response.json()["errors"]


def test_above_a_managers_own_limit_it_goes_to_an_owner(meal_case, frontline, manager, owner):
    manager.authority_limit = Decimal("40")
    manager.save(update_fields=["authority_limit"])
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    passed = decide(as_user(manager), proposal_id, decision="approve", revision=1)
    assert passed.status_code == 200, passed.content
    body = passed.json()
    assert (body["state"], body["approver_role"], body["revision"]) == ("pending", "Owner", 2)
    assert as_user(manager).get("/api/v1/approvals/").json()["results"] == []
    assert [row["id"] for row in as_user(owner).get("/api/v1/approvals/").json()["results"]] == [proposal_id]
    approved = decide(as_user(owner), proposal_id, decision="approve", revision=2)
    assert approved.json()["state"] == "approved" and approved.json()["decided_by"]["id"] == owner.pk


def test_past_the_locations_budget_an_owner_decides(soho, frontline, manager, owner):
    soho.monthly_budget = Decimal("1.00")
    soho.save(update_fields=["monthly_budget"])
    small = CaseFactory(location=soho, created_by=frontline, category="delay", order_value=Decimal("20"), lost="all")
    body = propose(as_user(frontline), small).json()
    assert (body["state"], body["approver_role"]) == ("pending", "Owner")
    assert "budget" in body["approval_reason"]
    refused = decide(as_user(manager), body["id"], decision="approve", revision=1)
    assert refused.status_code == 422
    assert decide(as_user(owner), body["id"], decision="approve", revision=1).json()["state"] == "approved"


def test_the_queue_is_the_pages(soho, camden, frontline, manager, meal_case):
    mine = propose(as_user(frontline), meal_case).json()["id"]
    elsewhere = CaseFactory(
        location=camden, category="delay", order_value=Decimal("64"), lost="all", severity="moderate"
    )
    assert propose(as_user(staff(Role.FRONTLINE, camden)), elsewhere).json()["state"] == "pending"
    own = CaseFactory(location=soho, category="delay", order_value=Decimal("900"), lost="all", severity="major")
    assert propose(as_user(manager), own).status_code == 201
    queue = as_user(manager).get("/api/v1/approvals/").json()["results"]
    assert [row["id"] for row in queue] == [mine]
    assert queue[0]["case"] == {"id": meal_case.pk, "reference": meal_case.reference}


def test_a_cases_proposals_newest_first(meal_case, frontline, manager):
    api = as_user(frontline)
    first = propose(api, meal_case).json()["id"]
    decide(as_user(manager), first, decision="reject", reason="Not yet.", revision=1)
    second = propose(api, meal_case).json()["id"]
    rows = api.get(f"/api/v1/cases/{meal_case.pk}/proposals/").json()["results"]
    assert [row["id"] for row in rows] == [second, first]
    suggestions = api.get(f"/api/v1/cases/{meal_case.pk}/suggestions/").json()["results"]
    assert suggestions == []  # pending again


def test_the_rejection_shows_beside_the_same_suggestion(meal_case, frontline, manager):
    api = as_user(frontline)
    first = propose(api, meal_case).json()["id"]
    decide(as_user(manager), first, decision="reject", reason="Not yet.", revision=1)
    [card, *_] = api.get(f"/api/v1/cases/{meal_case.pk}/suggestions/").json()["results"]
    assert card["rejected"]["id"] == first and card["rejected"]["decision_reason"] == "Not yet."


def approved_on(case, *kinds):
    proposal = ProposalFactory(case=case, state="approved")
    return proposal, [ProposalLineFactory(proposal=proposal, kind=kind) for kind in kinds]


def test_each_remedy_delivered_and_the_case_moves_on(soho, frontline):
    case = CaseFactory(location=soho, state="in_recovery")
    proposal, (card, refund) = approved_on(case, "gift_card", "partial_refund")
    api = as_user(frontline)
    first = api.post(f"/api/v1/remedies/{card.pk}/delivery/", {"reference": "GC-1234"}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["state"] == "approved"
    [delivered] = [line for line in first.json()["lines"] if line["id"] == card.pk]
    assert delivered["delivery_reference"] == "GC-1234" and delivered["delivered_by"]["id"] == frontline.pk
    last = api.post(f"/api/v1/remedies/{refund.pk}/delivery/", {}, format="json")
    assert last.json()["state"] == "delivered"
    assert Case.objects.get(pk=case.pk).state == "remedy_delivered"
    again = api.post(f"/api/v1/remedies/{card.pk}/delivery/", {"reference": "GC-9999"}, format="json")
    assert again.status_code == 422 and again.json()["detail"] == str(NOT_APPROVED)  # delivered: done with


def test_a_pending_remedy_cannot_be_delivered(meal_case, frontline):
    body = propose(as_user(frontline), meal_case).json()
    line = body["lines"][-1]["id"]
    response = as_user(frontline).post(f"/api/v1/remedies/{line}/delivery/", {}, format="json")
    assert response.status_code == 422
    assert response.json()["detail"] == str(NOT_APPROVED)


def test_a_remedy_elsewhere_is_not_found(camden, frontline):
    _proposal, (line,) = approved_on(CaseFactory(location=camden, state="in_recovery"), "gift_card")
    response = as_user(frontline).post(f"/api/v1/remedies/{line.pk}/delivery/", {}, format="json")
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_managers_approving_at_once_make_one_decision(postgres, meal_case, frontline, manager, soho, monkeypatch):
    """The proposal's row is locked for the decision: the second manager waits, then is told who
    decided (a 409), and the remedy is approved once."""
    proposal_id = propose(as_user(frontline), meal_case).json()["id"]
    managers = [manager, staff(Role.MANAGER, soho)]
    clients = [as_user(person) for person in managers]
    slow = decisions._pass_up_if_beyond

    def pass_up_if_beyond(*args, **kwargs):
        time.sleep(0.5)  # hold the first decision open while the second arrives
        return slow(*args, **kwargs)

    monkeypatch.setattr(decisions, "_pass_up_if_beyond", pass_up_if_beyond)
    barrier = threading.Barrier(2)
    responses, errors = [], []

    def approve(client):
        try:
            barrier.wait(timeout=10)
            responses.append(decide(client, proposal_id, decision="approve", revision=1))
        except Exception as error:  # noqa: BLE001 - asserted on below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(r.status_code for r in responses) == [200, 409]
    winner = Proposal.objects.get(pk=proposal_id).decided_by
    [refused] = [r for r in responses if r.status_code == 409]
    assert refused.json()["detail"] == str(ALREADY_DECIDED).format(state="approved", who=winner)
    assert Proposal.objects.get(pk=proposal_id).state == "approved"
