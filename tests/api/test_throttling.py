"""Each token has its rate (AMENDS_API_RATE), writes a second one (AMENDS_API_WRITE_RATE): past
it, a 429 problem saying when to come back."""

from tests.api.conftest import as_user, case_body


def test_past_the_rate_a_429_with_retry_after(frontline, settings):
    settings.AMENDS_API_RATE = "3/min"
    api = as_user(frontline)
    assert [api.get("/api/v1/cases/").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("/api/v1/cases/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["type"] == "urn:amends:problem:throttled"


def test_each_token_is_counted_apart(frontline, manager, settings):
    settings.AMENDS_API_RATE = "1/min"
    first, second = as_user(frontline), as_user(manager)
    assert first.get("/api/v1/cases/").status_code == 200
    assert first.get("/api/v1/cases/").status_code == 429
    assert second.get("/api/v1/cases/").status_code == 200


def test_writes_have_their_own_lower_rate(till, settings):
    settings.AMENDS_API_WRITE_RATE = "1/min"
    assert till.post("/api/v1/cases/", case_body(), format="json").status_code == 201
    assert till.post("/api/v1/cases/", case_body(), format="json").status_code == 429
    assert till.get("/api/v1/cases/").status_code == 200
