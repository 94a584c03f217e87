"""The location × role matrix for the recovery side, follow-ups, corrective actions and the audit
log, as tests/api/test_matrix.py holds it for cases and customers: a role without the page's
permission gets a 403 wherever the row is; with it, a row at another location is a 404 (never a
403 that confirms it exists) unless the role is an owner's."""

from decimal import Decimal

import pytest

from accounts.roles import Role
from followups.models import FollowUp
from tests.api.conftest import as_user, integration
from tests.api.test_matrix import client_of
from tests.factories import CaseFactory, CorrectiveActionFactory, ProposalFactory, ProposalLineFactory, staff

ANYONE, MANAGERS, OWNERS = Role.FRONTLINE, Role.MANAGER, Role.OWNER
RANK = {Role.FRONTLINE: 0, Role.MANAGER: 1, Role.OWNER: 2}

# (method, path, body, status when allowed, the least role allowed)
ENDPOINTS = [
    ("get", "/api/v1/cases/{case}/suggestions/", None, 200, ANYONE),
    ("get", "/api/v1/cases/{case}/proposals/", None, 200, ANYONE),
    ("post", "/api/v1/cases/{case}/proposals/", {"rank": 1}, 201, ANYONE),
    ("get", "/api/v1/proposals/{pending}/", None, 200, ANYONE),
    ("post", "/api/v1/proposals/{pending}/decision/", {"decision": "approve", "revision": 1}, 200, MANAGERS),
    ("post", "/api/v1/remedies/{line}/delivery/", {"reference": "GC-1"}, 200, ANYONE),
    ("get", "/api/v1/cases/{case}/followups/", None, 200, ANYONE),
    ("post", "/api/v1/followups/{followup}/done/", None, 200, ANYONE),
    ("get", "/api/v1/corrective-actions/{action}/", None, 200, ANYONE),
    ("post", "/api/v1/corrective-actions/{action}/cases/", {"case": "{case}"}, 201, MANAGERS),
    ("post", "/api/v1/corrective-actions/{action}/completion/", {"message": "A new oven."}, 200, MANAGERS),
]


def rows_at(location) -> dict[str, int]:
    """A case to act on at `location`, with an approved remedy, a pending proposal (someone
    else's), a reminder and a corrective action."""
    case = CaseFactory(location=location, category="delay", order_value=Decimal("64"), lost="all")
    approved = ProposalFactory(case=CaseFactory(location=location, state="in_recovery"), state="approved")
    line = ProposalLineFactory(proposal=approved, kind="gift_card")
    waiting = CaseFactory(location=location, state="awaiting_approval", order_value=Decimal("64"), lost="all")
    pending = ProposalFactory(
        case=waiting, state="pending", approver_role="Manager", proposed_by=staff(Role.FRONTLINE, location)
    )
    ProposalLineFactory(proposal=pending, kind="gift_card")
    followup = FollowUp.objects.create(
        case=case, kind="staff_reminder", channel="in_app", subject="Ring back", due_at=case.created_at
    )
    action = CorrectiveActionFactory(location=location)
    return {"case": case.pk, "pending": pending.pk, "line": line.pk, "followup": followup.pk, "action": action.pk}


def call_with(client, method, path, body, ids):
    url = path.format(**ids)
    if body is None:
        return getattr(client, method)(url, format="json")
    filled = {key: ids[value[1:-1]] if value in ("{case}",) else value for key, value in body.items()}
    return getattr(client, method)(url, filled, format="json")


def expected(role, where, allowed, least, *, integration=False) -> int:
    """A person's answer by role and place; an integration's (`integration`) is held to its own
    location whatever its role."""
    if role is None or RANK[role] < RANK[least]:
        return 403
    if where == "other" and (integration or role is not Role.OWNER):
        return 404
    return allowed


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER, None])
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize(("method", "path", "body", "allowed", "least"), ENDPOINTS)
def test_role_by_resource_by_location(soho, camden, role, where, method, path, body, allowed, least):
    ids = rows_at(soho if where == "own" else camden)
    response = call_with(client_of(role, soho), method, path, body, ids)
    assert response.status_code == expected(role, where, allowed, least), response.content


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER])
@pytest.mark.parametrize("where", ["own", "other"])
@pytest.mark.parametrize(("method", "path", "body", "allowed", "least"), ENDPOINTS)
def test_an_integration_is_held_to_its_location_as_its_role_is(
    soho, camden, owner, role, where, method, path, body, allowed, least
):
    ids = rows_at(soho if where == "own" else camden)
    response = call_with(integration(owner, soho, role), method, path, body, ids)
    assert response.status_code == expected(role, where, allowed, least, integration=True), response.content


@pytest.mark.parametrize(
    ("path", "least"), [("/api/v1/approvals/", MANAGERS), ("/api/v1/audit/", OWNERS), ("/api/v1/followups/", ANYONE)]
)
@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER, Role.OWNER, None])
def test_the_lists_by_role(soho, role, path, least):
    response = client_of(role, soho).get(path)
    assert response.status_code == expected(role, "own", 200, least), response.content


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_lists_show_only_own_locations(soho, camden, role):
    mine, theirs = rows_at(soho), rows_at(camden)
    api = as_user(staff(role, soho))
    actions = {row["id"] for row in api.get("/api/v1/corrective-actions/").json()["results"]}
    assert mine["action"] in actions and theirs["action"] not in actions
    if role is Role.MANAGER:
        assert {row["id"] for row in api.get("/api/v1/approvals/").json()["results"]} == {mine["pending"]}
