"""The API's case list and case create ask the same number of queries however many cases there
are (what bench/pages/api.py measures at a million): the count with 5 cases and with 50 is the
same, exactly."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from tests.api.conftest import as_user
from tests.factories import CaseFactory, CustomerFactory, staff


def queries(send, status: int = 200) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = send()
    assert response.status_code == status, response.content
    return len(captured.captured_queries)


def test_the_list_asks_the_same_queries_with_5_cases_and_50(soho):
    manager = staff(Role.MANAGER, soho)
    api = as_user(manager)
    api.get("/api/v1/cases/")  # the token's last use written (once a minute)
    counts = []
    for rows in (5, 45):  # 5, then 50: more than a page
        CaseFactory.create_batch(rows, location=soho, created_by=manager)
        counts.append(queries(lambda: api.get("/api/v1/cases/", {"page_size": 20})))
    assert counts[0] == counts[1]


def test_a_frontline_users_open_cases_ask_the_same_queries_with_5_cases_and_50(soho, frontline):
    api = as_user(frontline)
    api.get("/api/v1/cases/")
    counts = []
    for rows in (5, 45):
        CaseFactory.create_batch(rows, location=soho, created_by=frontline)
        counts.append(queries(lambda: api.get("/api/v1/cases/", {"assignee": "me", "state": "active"})))
    assert counts[0] == counts[1]


def test_logging_a_case_asks_the_same_queries_with_5_cases_and_50(soho, frontline):
    customer = CustomerFactory(home_location=soho)
    api = as_user(frontline)
    api.get("/api/v1/cases/")
    body = {
        "customer": customer.pk,
        "location": soho.pk,
        "category": "delay",
        "description": "Waited forty minutes; the food came cold.",
        "order_value": {"amount": "64.00"},
        "lost": "all",
    }
    counts = []
    for key, rows in (("first", 5), ("second", 45)):
        # Cases of the same customer: the new case's repeat-incident count reads them.
        CaseFactory.create_batch(rows, location=soho, customer=customer, created_by=frontline)
        headers = {"Idempotency-Key": key}
        counts.append(queries(lambda h=headers: api.post("/api/v1/cases/", body, format="json", headers=h), 201))
    assert counts[0] == counts[1]
