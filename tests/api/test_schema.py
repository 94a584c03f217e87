"""The OpenAPI schema: generated without a warning, valid OpenAPI 3.1, served at /api/schema/, and
saying what every operation may answer."""

import yaml
from django.core.management import call_command


def test_the_schema_generates_without_warnings(db, tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    schema = yaml.safe_load(out.read_text())
    assert schema["openapi"] == "3.1.0"
    assert schema["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_the_schema_is_served_to_anyone(client, db):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    create = schema["paths"]["/api/v1/cases/"]["post"]
    assert {"201", "400", "401", "403", "409", "422", "429"} <= set(create["responses"])
    assert "application/problem+json" in create["responses"]["422"]["content"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])
    listing = schema["paths"]["/api/v1/cases/"]["get"]
    assert {"cursor", "page_size", "q", "state"} <= {p["name"] for p in listing["parameters"]}


def test_the_docs_page_serves_its_assets_itself(client, db):
    page = client.get("/api/docs/").content.decode()
    assert "swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page and "<style" not in page


def test_the_docs_page_carries_the_whole_guide(client, db):
    """From the docs page alone: a token, a case logged and closed, a webhook's signature checked."""
    guide = client.get("/api/schema/?format=json").json()["info"]["description"]
    for step in ("Authorization: Bearer", "/tokens/integrations/", "curl", "closed", "webhook-signature", "whsec_"):
        assert step in guide, step
    assert "Adding a resource" not in guide  # for whoever extends the API: stays in docs/api.md
    assert "](" not in guide.replace("](http", "").replace("](#", "")  # no link the page cannot follow


def blank_allowed(schema: dict, component: str, field: str) -> bool:
    """Whether the schema lets `component.field` be the empty string."""
    prop = schema["components"]["schemas"][component]["properties"][field]
    refs = [option.get("$ref", "").rsplit("/", 1)[-1] for option in prop.get("oneOf", [])]
    return any("" in schema["components"]["schemas"][ref].get("enum", []) for ref in refs if ref)


def test_empty_outcomes_and_states_are_in_the_schema(client, db):
    """An open case's outcome is "", and so are a note's from/to states: the schema must allow
    it (a read-only field of a ModelSerializer loses `allow_blank`)."""
    schema = client.get("/api/schema/?format=json").json()
    assert blank_allowed(schema, "CaseDetailOut", "outcome")
    assert blank_allowed(schema, "CaseOut", "outcome")
    assert blank_allowed(schema, "EventOut", "from_state") and blank_allowed(schema, "EventOut", "to_state")


def test_an_empty_email_or_phone_is_allowed_by_the_schema_as_by_the_api(client, db):
    schema = client.get("/api/schema/?format=json").json()
    query = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/customers/"]["get"]["parameters"]}
    assert "minLength" not in query["email"] and "minLength" not in query["phone"]


def test_a_customer_read_back_may_have_no_email(client, db):
    """A customer known by phone only, or anonymised, is read back with an empty email: the
    answer's schema must allow it (not an email's format)."""
    schema = client.get("/api/schema/?format=json").json()
    assert "format" not in schema["components"]["schemas"]["CustomerOut"]["properties"]["email"]
