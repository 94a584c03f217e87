"""Customers through the API: recorded and corrected by the customers app's own form and service
(duplicates refused by name, phones read in the location's region), only those the token may see."""

from customers.models import Customer
from customers.services import DUPLICATE_PHONE
from tests.api.conftest import as_user
from tests.factories import CustomerFactory


def test_a_till_records_a_customer_at_its_location(till, soho):
    body = {"name": "Ann Lee", "phone": "07700 900555", "contact_consent": True, "yearly_value": {"amount": "300"}}
    response = till.post("/api/v1/customers/", body, format="json")
    assert response.status_code == 201, response.content
    customer = Customer.objects.get(pk=response.json()["id"])
    assert customer.home_location == soho and customer.phone == "+447700900555" and customer.contact_consent
    assert response.json()["yearly_value"] == {"amount": "300.00", "currency": "GBP"}
    assert response["Location"] == f"/api/v1/customers/{customer.pk}/"


def test_a_customer_already_on_file_is_named(till, soho):
    CustomerFactory(name="Ann Known", phone="+447700900555", home_location=soho)
    response = till.post("/api/v1/customers/", {"name": "Ann Lee", "phone": "+44 7700 900555"}, format="json")
    assert response.status_code == 422
    assert response.json()["errors"] == {"phone": [DUPLICATE_PHONE.format(name="Ann Known")]}


def test_a_customer_needs_a_way_to_reach_them(till):
    response = till.post("/api/v1/customers/", {"name": "Nobody Atall"}, format="json")
    assert response.status_code == 422
    assert "email" in response.json()["errors"]


def test_a_person_at_several_locations_names_the_home_location(frontline, soho, camden):
    frontline.locations.add(camden)
    api = as_user(frontline)
    response = api.post("/api/v1/customers/", {"name": "Ann Lee", "email": "ann@example.com"}, format="json")
    assert response.status_code == 422 and "home_location" in response.json()["errors"]
    body = {"name": "Ann Lee", "email": "ann@example.com", "home_location": camden.pk}
    assert api.post("/api/v1/customers/", body, format="json").json()["home_location"]["id"] == camden.pk


def test_an_update_changes_only_what_is_sent(frontline, customer):
    response = as_user(frontline).patch(f"/api/v1/customers/{customer.pk}/", {"notes": "Mornings."}, format="json")
    assert response.status_code == 200, response.content
    customer.refresh_from_db()
    assert customer.notes == "Mornings." and customer.email == "alice@example.com" and customer.name == "Alice Moreno"


def test_an_update_cannot_take_anothers_email(frontline, customer, soho):
    CustomerFactory(name="Bob Other", email="bob@example.com", home_location=soho)
    response = as_user(frontline).patch(
        f"/api/v1/customers/{customer.pk}/", {"email": "BOB@example.com"}, format="json"
    )
    assert response.status_code == 422 and "email" in response.json()["errors"]


def test_without_email_or_phone_the_list_is_every_visible_customer_by_name(frontline, soho, camden):
    here = [CustomerFactory(name=name, home_location=soho) for name in ("Cy", "Al", "Bea")]
    CustomerFactory(name="Elsewhere", home_location=camden)
    names = [row["name"] for row in as_user(frontline).get("/api/v1/customers/").json()["results"]]
    assert names == sorted(customer.name for customer in here)


def test_an_empty_email_or_phone_is_as_if_left_out(frontline, soho):
    """`?phone=&email=`, as a form sends it: every visible customer, as the schema allows."""
    CustomerFactory(name="Al", home_location=soho)
    response = as_user(frontline).get("/api/v1/customers/", {"phone": "", "email": ""})
    assert [row["name"] for row in response.json()["results"]] == ["Al"]
