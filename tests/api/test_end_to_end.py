"""A case from a till to closure, by three tokens, through the API alone: the point-of-sale system
logs it, a frontline member of staff offers the suggested remedy (above their limit), a manager
approves it, the frontline marks it delivered and closes the case."""

from cases.models import Case
from tests.api.conftest import as_user, case_body


def test_from_the_till_to_closure(till, frontline, manager):
    logged = till.post("/api/v1/cases/", case_body(severity="moderate"), format="json")
    assert logged.status_code == 201, logged.content
    case_id = logged.json()["id"]

    staff_api, manager_api = as_user(frontline), as_user(manager)
    [first, *_] = staff_api.get(f"/api/v1/cases/{case_id}/suggestions/").json()["results"]
    assert first["needs_approval"] and first["approver"] == "Manager"
    offered = staff_api.post(
        f"/api/v1/cases/{case_id}/proposals/", {"rank": first["rank"]}, format="json", HTTP_IDEMPOTENCY_KEY="offer-1"
    )
    assert offered.status_code == 201, offered.content
    proposal = offered.json()
    assert proposal["state"] == "pending"
    replayed = staff_api.post(
        f"/api/v1/cases/{case_id}/proposals/", {"rank": first["rank"]}, format="json", HTTP_IDEMPOTENCY_KEY="offer-1"
    )
    assert replayed["Idempotent-Replayed"] == "true" and replayed.json()["id"] == proposal["id"]

    [waiting] = manager_api.get("/api/v1/approvals/").json()["results"]
    assert waiting["id"] == proposal["id"]
    approved = manager_api.post(
        f"/api/v1/proposals/{proposal['id']}/decision/",
        {"decision": "approve", "revision": waiting["revision"]},
        format="json",
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["state"] == "approved"

    for line in approved.json()["lines"]:
        delivered = staff_api.post(
            f"/api/v1/remedies/{line['id']}/delivery/", {"reference": "at the till"}, format="json"
        )
        assert delivered.status_code == 200, delivered.content
    assert delivered.json()["state"] == "delivered"
    assert staff_api.get(f"/api/v1/cases/{case_id}/").json()["state"] == "remedy_delivered"

    closing = {"to_state": "closed", "outcome": "retained", "note": "She will be back."}
    closed = staff_api.post(f"/api/v1/cases/{case_id}/transitions/", closing, format="json")
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["state"], body["outcome"]) == ("closed", "retained")
    kinds = [entry["kind"] for entry in body["timeline"]]
    for kind in ("case.logged", "proposal.made", "proposal.decided", "remedy.delivered"):
        assert kind in kinds
    assert kinds.index("proposal.made") < kinds.index("proposal.decided") < kinds.index("remedy.delivered")
    assert Case.objects.get(pk=case_id).closed_at is not None
