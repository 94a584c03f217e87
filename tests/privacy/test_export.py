"""A customer's export: everything held about them, in a fixed number of queries, on the audit
trail (who, when, which customer, never the data); from their page as a zip with the files, and
from the API as JSON; owners only."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from accounts.roles import Role
from api.models import IdempotencyKey
from cases.models import Event
from privacy.selectors import SCHEMA, SCHEMA_VERSION, customer_export_read
from privacy.services import customer_export
from tests.api.conftest import as_user, case_body, integration
from tests.conftest import signed_in
from tests.factories import (
    CaseFactory,
    EventFactory,
    ProposalFactory,
    ProposalLineFactory,
    SatisfactionResponseFactory,
    SentCustomerMessageFactory,
    staff,
)
from tests.privacy.conftest import EMAIL, NAME, PHONE, RECEIPT

pytestmark = pytest.mark.django_db


def test_the_export_holds_everything_amends_holds_about_them(everything):
    data = customer_export_read(everything.customer).data
    assert (data["schema"], data["schema_version"]) == (SCHEMA, SCHEMA_VERSION)
    assert (data["customer"]["name"], data["customer"]["email"], data["customer"]["phone"]) == (NAME, EMAIL, PHONE)
    assert data["customer"]["notes"].startswith("Allergic to marmalade")
    first, second = data["cases"]
    assert first["description"].endswith("the marmalade catastrophe.")
    assert (first["order_value"], first["hidden_costs"], first["hidden_costs_description"]) == (
        "64.00",
        "12.00",
        "Taxi home for Zephyrine",
    )
    assert first["proposals"][0]["decision_reason"] == "Quillfeather deserves it"
    assert first["proposals"][0]["lines"][0]["delivery_reference"] == "VOUCHER-ZEPHYRINE"
    assert "About the marmalade catastrophe" in [message["body"] for message in first["messages"]]
    assert second["satisfaction"]["comment"].startswith("Wobblegate was handled")
    assert sorted(entry["content_type"] for entry in first["attachments"]) == ["application/pdf", "image/png"]
    assert [email["subject"] for email in first["emails"]] == ["Wobblegate, again"]
    assert [email["sender"] for email in data["emails_on_no_case"]] == [EMAIL]
    notes = [entry["note"] for entry in first["timeline"]]
    assert "Zephyrine Quillfeather lives above the bakery." in notes
    assert "customer.replied" in [entry["kind"] for entry in first["timeline"]]
    json.dumps(data)  # plain JSON throughout


def test_each_export_goes_on_the_audit_trail_without_the_data(everything):
    customer_export(customer=everything.customer, actor=everything.owner, form="json")
    entry = Event.objects.get(kind=Event.Kind.CUSTOMER_EXPORTED)
    assert (entry.actor, entry.case, entry.subject) == (everything.owner, None, f"customer:{everything.customer.pk}")
    assert entry.payload == {"customer_id": everything.customer.pk, "form": "json", "cases": 2}
    assert "Zephyrine" not in entry.note + json.dumps(entry.payload)


def _cases_with_everything(customer, count):
    for _ in range(count):
        case = CaseFactory(customer=customer, location=customer.home_location)
        line = ProposalLineFactory(proposal=ProposalFactory(case=case))
        line.proposal.lines.create(kind="apology", face_value=0, cost=0, position=1)
        SentCustomerMessageFactory(case=case)
        SatisfactionResponseFactory(case=case)
        EventFactory(case=case)


@pytest.mark.parametrize("count", [1, 12])
def test_the_export_reads_a_fixed_number_of_queries_however_many_cases(
    count, customer, owner, django_assert_max_num_queries
):
    _cases_with_everything(customer, count)
    # Nine reads (the raw emails' tenth only when there are some), the audit entry, its savepoint.
    with django_assert_max_num_queries(12):
        export = customer_export(customer=customer, actor=owner, form="zip")
    assert len(export.data["cases"]) == count


def test_an_owner_downloads_a_zip_with_the_document_and_the_files(everything):
    response = signed_in(everything.owner).post(reverse("customers:export", args=[everything.customer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    data = json.loads(archive.read("customer.json"))
    assert data["customer"]["email"] == EMAIL
    pdf = next(entry for entry in data["cases"][0]["attachments"] if entry["content_type"] == "application/pdf")
    assert archive.read(pdf["file"]) == RECEIPT
    email = data["cases"][0]["emails"][0]
    assert b"marmalade catastrophe" in archive.read(email["file"])
    assert Event.objects.filter(kind=Event.Kind.CUSTOMER_EXPORTED, payload__form="zip").count() == 1


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_staff_below_an_owner_may_not_export_or_erase(role, soho, customer):
    client = signed_in(staff(role, soho))
    assert client.post(reverse("customers:export", args=[customer.pk])).status_code == 403
    assert client.get(reverse("customers:erase", args=[customer.pk])).status_code == 403
    assert client.post(reverse("customers:erase", args=[customer.pk])).status_code == 403
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "Export their data" not in page and "Erase their data" not in page
    customer.refresh_from_db()
    assert customer.anonymised_at is None
    assert not Event.objects.filter(kind__in=[Event.Kind.CUSTOMER_EXPORTED, Event.Kind.CUSTOMER_ERASED]).exists()


def test_the_export_is_a_post(customer, owner):
    assert signed_in(owner).get(reverse("customers:export", args=[customer.pk])).status_code == 405


def test_an_owner_erases_after_confirming(customer, owner):
    client = signed_in(owner)
    page = client.get(customer.get_absolute_url()).content.decode()
    assert "Export their data" in page and "Erase their data" in page
    confirm = client.get(reverse("customers:erase", args=[customer.pk]))
    assert "What stays" in confirm.content.decode()
    customer.refresh_from_db()
    assert customer.anonymised_at is None  # asking is not doing
    response = client.post(reverse("customers:erase", args=[customer.pk]), follow=True)
    assert "personal data was erased" in response.content.decode()
    customer.refresh_from_db()
    assert customer.anonymised_at is not None
    again = client.post(reverse("customers:erase", args=[customer.pk]), follow=True)
    assert "already erased" in again.content.decode()
    assert Event.objects.filter(kind=Event.Kind.CUSTOMER_ERASED).count() == 1


def test_the_api_exports_as_json_and_records_it(everything):
    response = as_user(everything.owner).get(f"/api/v1/customers/{everything.customer.pk}/export/")
    assert response.status_code == 200, response.content
    assert response.json()["customer"]["phone"] == PHONE
    assert len(response.json()["cases"]) == 2
    assert Event.objects.filter(kind=Event.Kind.CUSTOMER_EXPORTED, payload__form="json").count() == 1


def test_the_api_erases_once_however_often_it_is_asked(everything):
    client = as_user(everything.owner)
    url = f"/api/v1/customers/{everything.customer.pk}/erase/"
    first, second = client.post(url, format="json"), client.post(url, format="json")
    assert first.status_code == second.status_code == 200, first.content
    assert first.json() == second.json()
    assert first.json()["anonymised"] is True and first.json()["email"] == ""
    assert Event.objects.filter(kind=Event.Kind.CUSTOMER_ERASED).count() == 1


def test_an_integration_acting_as_an_owner_sees_one_location_so_may_not(soho, customer, owner):
    """Its token reaches one location's cases: it can neither hand over nor erase all of them."""
    client = integration(owner, soho, Role.OWNER)
    assert client.get(f"/api/v1/customers/{customer.pk}/export/").status_code == 403
    assert client.post(f"/api/v1/customers/{customer.pk}/erase/", format="json").status_code == 403
    customer.refresh_from_db()
    assert customer.anonymised_at is None


@pytest.mark.parametrize("role", [Role.FRONTLINE, Role.MANAGER])
def test_the_api_refuses_staff_below_an_owner(role, soho, customer):
    client = as_user(staff(role, soho))
    assert client.get(f"/api/v1/customers/{customer.pk}/export/").status_code == 403
    assert client.post(f"/api/v1/customers/{customer.pk}/erase/", format="json").status_code == 403


def test_an_unknown_customer_is_a_404(owner):
    assert as_user(owner).get("/api/v1/customers/999999/export/").status_code == 404


def test_erasure_forgets_the_api_answers_kept_for_retries_that_name_them(soho, owner):
    """The answers kept for an Idempotency-Key quote the customer; another customer's stay."""
    client = as_user(owner)
    keys = {}
    for name, email in (("Ann Other", "ann@example.com"), ("Bob Stays", "bob@example.com")):
        body = {"name": name, "email": email, "home_location": soho.pk}
        made = client.post("/api/v1/customers/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"key-{email}")
        keys[email] = made.json()["id"]
    logged = client.post(
        "/api/v1/cases/",
        case_body(customer=keys["ann@example.com"], new_customer=None, location=soho.pk),
        format="json",
        HTTP_IDEMPOTENCY_KEY="case-of-ann",
    )
    assert logged.status_code == 201, logged.content
    client.post(f"/api/v1/customers/{keys['ann@example.com']}/erase/", format="json")
    assert set(IdempotencyKey.objects.values_list("key", flat=True)) == {"key-bob@example.com"}
