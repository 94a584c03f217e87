import pytest

from core.exceptions import ApplicationError
from customers.services import CustomerDetails, customer_create, customer_update
from tests.factories import CustomerFactory


def test_contact_details_are_stored_normalised(frontline, soho):
    customer = customer_create(
        details=CustomerDetails(name=" Jane Doe ", email="Jane@Example.com", phone="020 7946 0958"),
        home_location_id=soho.pk,
        actor=frontline,
    )
    assert (customer.name, customer.email, customer.phone) == ("Jane Doe", "jane@example.com", "+442079460958")


@pytest.mark.parametrize(
    ("email", "phone", "field"),
    [
        ("ALICE@example.com", "", "email"),
        ("", "+44 7700 900101", "phone"),
    ],
)
def test_duplicates_by_email_or_phone_are_caught(frontline, soho, customer, email, phone, field):
    with pytest.raises(ApplicationError) as caught:
        customer_create(
            details=CustomerDetails(name="Alice M", email=email, phone=phone), home_location_id=soho.pk, actor=frontline
        )
    assert caught.value.field == field
    assert caught.value.extra["duplicate"] == customer


def test_a_customer_needs_a_way_to_reach_them(frontline, soho):
    with pytest.raises(ApplicationError, match="email or a phone"):
        customer_create(details=CustomerDetails(name="No Contact"), home_location_id=soho.pk, actor=frontline)


def test_update_refuses_another_customers_email(soho, customer):
    other = CustomerFactory(home_location=soho)
    with pytest.raises(ApplicationError):
        customer_update(customer=other, details=CustomerDetails(name=other.name, email=customer.email))


def test_update_keeps_own_email(customer):
    updated = customer_update(
        customer=customer, details=CustomerDetails(name="Alice Moreno-Smith", email=customer.email)
    )
    assert updated.name == "Alice Moreno-Smith"
