"""Bad input is a problem (RFC 9457), never a 500: malformed JSON 400, wrong types and values out
of range 422, ids nobody may see 404; a rule of the business that says no is a 422 with the page's
own message next to its field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.forms import NO_PRICE
from cases.services import FUTURE_INCIDENT, NOTE_EMPTY
from customers.services import DUPLICATE_EMAIL
from tests.api.conftest import as_user, case_body
from tests.factories import CaseFactory, CustomerFactory

PROBLEM_KEYS = {"type", "title", "status", "detail", "errors"}


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert set(body) == PROBLEM_KEYS and body["status"] == status
    assert body["type"].startswith("urn:amends:problem:")
    return body


@pytest.fixture
def api(frontline):
    return as_user(frontline)


@pytest.mark.parametrize("raw", ["{bad", "[1, 2", "\x00", '{"a": NaN', '{"a":' * 100_000, "[" * 100_000])
def test_malformed_json_is_a_400(api, raw):
    body = problem(api.post("/api/v1/cases/", raw, content_type="application/json"), 400)
    assert body["type"] == "urn:amends:problem:malformed"


@pytest.mark.parametrize("raw", ["[]", "1", '"text"', "null"])
def test_a_body_that_is_not_an_object_is_a_422(api, raw):
    problem(api.post("/api/v1/cases/", raw, content_type="application/json"), 422)


def test_a_body_past_the_size_django_reads_is_a_413(api):
    body = case_body(description="x" * 3_000_000)
    assert problem(api.post("/api/v1/cases/", body, format="json"), 413)["type"] == "urn:amends:problem:too_large"


@pytest.mark.parametrize("query", [{"q": "\x00"}, {"q": "x" * 5000}])
def test_a_strange_search_is_not_a_crash(api, query):
    assert api.get("/api/v1/cases/", query).status_code in (200, 422)


@pytest.mark.parametrize("query", [{"phone": "\x00" * 5}, {"email": "a" * 300}, {"phone": "+" + "9" * 39}])
def test_a_strange_look_up_is_not_a_crash(api, query):
    assert api.get("/api/v1/customers/", query).status_code in (200, 422)


def test_a_body_in_another_format_is_a_415(api):
    problem(api.post("/api/v1/cases/", "category=delay", content_type="application/x-www-form-urlencoded"), 415)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": 12}, "category"),
        ({"category": "no-such"}, "category"),
        ({"description": {"a": 1}}, "description"),
        ({"description": "x" * 5000}, "description"),
        ({"description": "nul\x00byte"}, "description"),
        ({"order_value": {"amount": "1e400"}}, "order_value.amount"),
        ({"order_value": {"amount": "12.345"}}, "order_value.amount"),
        ({"order_value": {"amount": "-5"}}, "order_value.amount"),
        ({"order_value": {"amount": "12", "currency": "EUR"}}, "order_value"),
        ({"order_value": "lots"}, "order_value.amount"),
        ({"customer": 10**30}, "customer"),
        ({"customer": "abc"}, "customer"),
        ({"customer": 987654}, "customer"),
        ({"location": -1}, "location"),
        ({"assignee": 10**19}, "assignee"),
        ({"time_lost_minutes": 10**12}, "time_lost_minutes"),
        ({"occurred_at": "yesterday"}, "occurred_at"),
        ({"occurred_at": "2026-01-01T10:00"}, "occurred_at"),  # no offset
        ({"occurred_at": "9999-12-31T23:59:59-14:00"}, "occurred_at"),
        ({"occurred_at": "0001-01-01T00:00:00+14:00"}, "occurred_at"),
        ({"occurred_at": "2026-02-30T10:00:00Z"}, "occurred_at"),
        ({"promised_callback_at": "2020-01-01T10:00:00+00:00"}, "promised_callback_at"),
        ({"new_customer": {"name": "X", "phone": "12"}}, "new_customer.phone"),
        ({"new_customer": {"name": "X", "email": "not-an-email"}}, "new_customer.email"),
        ({"new_customer": "Jane"}, "new_customer.non_field_errors"),
        ({"severity": "minor"}, "severity_override_reason"),
    ],
)
def test_a_bad_value_is_a_422_naming_its_field(api, soho, changes, field):
    body = problem(api.post("/api/v1/cases/", case_body(**changes), format="json"), 422)
    assert field in body["errors"], body


def test_a_rule_says_no_in_the_pages_words(api):
    future = (timezone.now() + timedelta(hours=2)).isoformat()
    body = problem(api.post("/api/v1/cases/", case_body(occurred_at=future), format="json"), 422)
    assert body["errors"] == {"occurred_at": [str(FUTURE_INCIDENT)]}


def test_a_missing_price_has_the_forms_message(api):
    body = problem(api.post("/api/v1/cases/", case_body(order_value=None), format="json"), 422)
    assert body["errors"] == {"order_value": [str(NO_PRICE)]}


def test_a_known_customer_is_named_in_the_services_refusal(api, soho):
    CustomerFactory(name="Jane Known", email="jane@example.com", home_location=soho)
    body = problem(api.post("/api/v1/cases/", case_body(), format="json"), 422)
    assert body["errors"] == {"new_customer.email": [DUPLICATE_EMAIL.format(name="Jane Known")]}


def test_an_empty_note_is_refused_with_the_services_message(api, soho):
    case = CaseFactory(location=soho)
    body = problem(api.post(f"/api/v1/cases/{case.pk}/notes/", {"note": "  "}, format="json"), 422)
    assert body["errors"] == {"note": [str(NOTE_EMPTY)]}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/cases/0/",
        "/api/v1/cases/99999999999999999999999999/",
        "/api/v1/cases/123456789012345678/",
        "/api/v1/cases/abc/",
        "/api/v1/customers/4242/",
        "/api/v1/no-such-thing/",
    ],
)
def test_an_unknown_address_or_id_is_a_404_problem(api, path):
    problem(api.get(path), 404)


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": "zzz"},
        {"cursor": "W10"},  # [] base64
        {"cursor": "WyJ4IiwgMV0"},  # ["x", 1]
        {"cursor": "WzEsIDJd"},  # [1, 2]
        {"cursor": "WzFlOTk5XQ"},  # [1e999]
        {"cursor": "Wzk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5XQ"},  # a huge id
        {"cursor": "%00"},
    ],
)
def test_a_bad_cursor_is_a_400(api, query):
    problem(api.get("/api/v1/cases/", query), 400)


@pytest.mark.parametrize(
    "query",
    [{"state": "nonsense"}, {"created_from": "32/13/2026"}, {"location": "99999999999999999999"}, {"assignee": "x"}],
)
def test_a_bad_filter_is_a_422(api, query):
    problem(api.get("/api/v1/cases/", query), 422)


@pytest.mark.parametrize("size", ["0", "101", "999999999999", "x", "-1", "1.5", "٣", ""])
def test_a_page_size_the_schema_does_not_allow_is_a_422(api, size):
    """The schema says 1 to 100 (schemathesis holds the API to it): outside that, a problem
    naming the field, not a page of another size."""
    body = problem(api.get("/api/v1/cases/", {"page_size": size}), 422)
    assert body["errors"] == {"page_size": ["Give a whole number of rows from 1 to 100."]}


@pytest.mark.parametrize("size", ["1", "100"])
def test_a_page_size_from_1_to_100_is_read(api, size):
    assert api.get("/api/v1/cases/", {"page_size": size}).status_code == 200


@pytest.mark.parametrize(
    "body",
    [{"to_state": "flying"}, {"to_state": "closed"}, {"to_state": "closed", "outcome": "maybe"}, {"to_state": 3}],
)
def test_a_bad_transition_is_a_422(api, soho, body):
    case = CaseFactory(location=soho)
    problem(api.post(f"/api/v1/cases/{case.pk}/transitions/", body, format="json"), 422)


def test_a_method_the_resource_does_not_have_is_a_405(api, soho):
    case = CaseFactory(location=soho)
    problem(api.delete(f"/api/v1/cases/{case.pk}/"), 405)


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/cases/{case}/notes/", "/api/v1/customers/{customer}/"])
def test_options_is_a_405_not_a_500(api, soho, path):
    """The schema is the description: OPTIONS is not offered (DRF's metadata would describe a
    serializer the views do not declare, and failed)."""
    case = CaseFactory(location=soho)
    url = path.format(case=case.pk, customer=case.customer_id)
    problem(api.options(url), 405)


@pytest.mark.parametrize(("value", "status"), [("null", 422), ("maybe", 422), ("", 422), ("true", 200), ("0", 200)])
def test_overdue_is_a_boolean_or_a_422(api, value, status):
    """The schema says boolean: `?overdue=null` is refused, not read as ticked (the page's checkbox would)."""
    response = api.get("/api/v1/cases/", {"overdue": value})
    assert response.status_code == status, response.content
    if status == 422:
        assert list(response.json()["errors"]) == ["overdue"]


def test_overdue_false_lists_cases_not_yet_overdue_too(api, soho):
    """`0` is false, as the schema's boolean reads it (the page's checkbox would read it as ticked)."""
    case = CaseFactory(location=soho, first_contact_at=None, sla_due_at=timezone.now() + timedelta(hours=1))
    ids = [row["id"] for row in api.get("/api/v1/cases/", {"overdue": "0"}).json()["results"]]
    assert case.pk in ids


@pytest.mark.parametrize("name", ["state", "category", "severity", "location", "customer", "created_from", "sort"])
def test_an_empty_typed_filter_is_a_422(api, name):
    """The schema gives these a type (a choice, an id, a date): an empty one is not one, and is
    refused rather than read as left out (as the page's form reads it)."""
    body = problem(api.get("/api/v1/cases/", {name: ""}), 422)
    assert list(body["errors"]) == [name]


def test_an_empty_search_is_every_case(api, soho):
    case = CaseFactory(location=soho)
    assert [row["id"] for row in api.get("/api/v1/cases/", {"q": ""}).json()["results"]] == [case.pk]
