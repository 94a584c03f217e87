"""Cases through the API: logged by a till (the integration named on the timeline), listed with the
page's filters and search, read with the timeline, moved to closure, noted on and assigned, with the
services' own checks."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from cases.services import CASE_CHANGED
from customers.models import Customer
from tests.api.conftest import as_user, case_body
from tests.factories import CaseFactory, CustomerFactory, staff


def test_a_till_logs_a_case_and_is_named_its_author(till, soho):
    response = till.post("/api/v1/cases/", case_body(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(pk=body["id"])
    assert response["Location"] == f"/api/v1/cases/{case.pk}/"
    assert case.location == soho and case.created_by.is_integration
    assert case.assignee is None  # nobody's until someone takes it: a till is no one to give it to
    assert body["reference"] == case.reference
    assert body["order_value"] == {"amount": "64.00", "currency": "GBP"}
    assert body["created_at"].endswith("+00:00")
    [logged] = body["timeline"]
    assert logged["kind"] == "case.logged"
    assert logged["actor"] == {"id": case.created_by_id, "name": "Till", "is_integration": True}
    assert Customer.objects.get(email="jane@example.com").home_location == soho


def test_a_case_for_a_customer_on_file(till, soho, customer):
    body = case_body(customer=customer.pk)
    del body["new_customer"]
    response = till.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["customer"] == {"id": customer.pk, "name": customer.name}


def test_a_billing_error_takes_the_overcharge(till):
    body = case_body(category="billing_error", overcharge={"amount": "12.50"}, order_value=None, lost="")
    response = till.post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["overcharge"] == {"amount": "12.50", "currency": "GBP"}


def test_a_case_is_given_to_someone_at_its_location(till, frontline):
    response = till.post("/api/v1/cases/", case_body(assignee=frontline.pk), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["assignee"]["id"] == frontline.pk


def test_a_person_with_one_location_need_not_name_it(frontline, soho):
    response = as_user(frontline).post("/api/v1/cases/", case_body(), format="json")
    assert response.status_code == 201, response.content
    assert response.json()["location"]["id"] == soho.pk
    assert response.json()["assignee"]["id"] == frontline.pk  # as on the page: "Me"


def test_the_list_takes_the_pages_filters_and_search(frontline, soho):
    api = as_user(frontline)
    open_case = CaseFactory(location=soho, description="The soup was cold", customer__name="Zed Cold")
    closed = CaseFactory(location=soho, state="closed", outcome="retained", closed_at=timezone.now())
    ids = [row["id"] for row in api.get("/api/v1/cases/", {"state": "active"}).json()["results"]]
    assert open_case.pk in ids and closed.pk not in ids
    found = api.get("/api/v1/cases/", {"q": "Zed"}).json()["results"]
    assert [row["id"] for row in found] == [open_case.pk]
    by_reference = api.get("/api/v1/cases/", {"q": closed.reference}).json()["results"]
    assert [row["id"] for row in by_reference] == [closed.pk]


def test_the_list_sorts_as_the_page_does(frontline, soho):
    now = timezone.now()
    older = CaseFactory(location=soho, created_at=now - timedelta(days=2))
    newer = CaseFactory(location=soho, created_at=now - timedelta(days=1))
    api = as_user(frontline)
    assert [r["id"] for r in api.get("/api/v1/cases/").json()["results"]] == [newer.pk, older.pk]
    assert [r["id"] for r in api.get("/api/v1/cases/", {"sort": "oldest"}).json()["results"]] == [older.pk, newer.pk]


def test_the_list_reads_a_fixed_number_of_queries(frontline, soho, django_assert_max_num_queries):
    api = as_user(frontline)
    api.get("/api/v1/cases/")  # the token's last use written
    for count in (5, 40):
        CaseFactory.create_batch(count, location=soho)
        with django_assert_max_num_queries(8):
            assert len(api.get("/api/v1/cases/", {"page_size": 100}).json()["results"]) >= count


def test_follow_a_case_to_closure(till, frontline):
    case_id = till.post("/api/v1/cases/", case_body(), format="json").json()["id"]
    api = as_user(frontline)
    moved = api.post(f"/api/v1/cases/{case_id}/transitions/", {"to_state": "in_recovery"}, format="json")
    assert moved.status_code == 200 and moved.json()["state"] == "in_recovery"
    note = api.post(f"/api/v1/cases/{case_id}/notes/", {"note": "Rang her, sent a voucher."}, format="json")
    assert note.status_code == 201 and note.json()["kind"] == "case.note_added"
    closing = {"to_state": "closed", "outcome": "retained", "note": "She will be back."}
    closed = api.post(f"/api/v1/cases/{case_id}/transitions/", closing, format="json").json()
    assert closed["state"] == "closed" and closed["outcome"] == "retained" and closed["closed_at"]
    kinds = [entry["kind"] for entry in closed["timeline"] if entry["kind"].startswith("case.")]
    assert kinds == ["case.logged", "case.state_changed", "case.note_added", "case.state_changed"]
    [_, closing_entry] = [entry for entry in closed["timeline"] if entry["kind"] == "case.state_changed"]
    assert closing_entry["actor"]["id"] == frontline.pk and closing_entry["payload"]["outcome"] == "retained"


def test_a_transition_from_a_state_not_seen_is_refused(frontline, soho):
    case = CaseFactory(location=soho, state="in_recovery")
    body = {"to_state": "closed", "outcome": "lost", "expected_state": "open"}
    response = as_user(frontline).post(f"/api/v1/cases/{case.pk}/transitions/", body, format="json")
    assert response.status_code == 422
    assert response.json()["detail"] == str(CASE_CHANGED)


def test_assigning_to_someone_elsewhere_is_refused(frontline, soho, camden):
    case = CaseFactory(location=soho)
    elsewhere = staff(Role.FRONTLINE, camden, first_name="Cam", last_name="Den")
    response = as_user(frontline).post(
        f"/api/v1/cases/{case.pk}/assignment/", {"assignee": elsewhere.pk}, format="json"
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"assignee": ["Cam Den does not work at this case's location."]}
    ok = as_user(frontline).post(f"/api/v1/cases/{case.pk}/assignment/", {"assignee": frontline.pk}, format="json")
    assert ok.json()["assignee"]["id"] == frontline.pk


@pytest.mark.parametrize("field", ["email", "phone"])
def test_find_a_customer_however_typed(frontline, soho, field):
    known = CustomerFactory(home_location=soho, email="alice@example.com", phone="+447700900101")
    typed = {"email": " Alice@Example.COM ", "phone": "07700 900101"}[field]
    found = as_user(frontline).get("/api/v1/customers/", {field: typed}).json()["results"]
    assert [row["id"] for row in found] == [known.pk]
