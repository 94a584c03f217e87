"""One customer, however their number is typed: "07700 900123" and "+44 7700 900123" are
the same number (E.164, read in the location's region), for duplicates, search and the
rows already on file."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.roles import Role
from cases.models import Case
from core.exceptions import ApplicationError
from customers import contact
from customers.models import Customer
from customers.services import DUPLICATE_PHONE, CustomerDetails, customer_create
from tests.cases.test_views import form_data
from tests.conftest import signed_in
from tests.factories import CaseFactory, CustomerFactory, LocationFactory, staff

migration = importlib.import_module("customers.migrations.0003_phones_in_e164")


@pytest.fixture
def dublin(db):
    return LocationFactory(name="Dublin", code="dub", phone_region="IE")


def test_a_number_typed_nationally_is_the_same_customer_as_with_its_country_code(frontline, soho):
    first = customer_create(
        details=CustomerDetails(name="Jane Doe", phone="07700 900123"), home_location_id=soho.pk, actor=frontline
    )
    assert first.phone == "+447700900123"
    with pytest.raises(ApplicationError) as caught:
        customer_create(
            details=CustomerDetails(name="Jane D", phone="+44 7700 900123"), home_location_id=soho.pk, actor=frontline
        )
    assert caught.value.message == DUPLICATE_PHONE.format(name="Jane Doe") and caught.value.field == "phone"


def test_a_location_reads_numbers_in_its_own_region(frontline, dublin):
    customer = customer_create(
        details=CustomerDetails(name="Siobhan", phone="01 234 5678"), home_location_id=dublin.pk, actor=frontline
    )
    assert customer.phone == "+35312345678"


def test_the_service_refuses_what_is_no_number_next_to_the_phone(frontline, soho):
    with pytest.raises(ApplicationError) as caught:
        customer_create(details=CustomerDetails(name="X", phone="call me"), home_location_id=soho.pk, actor=frontline)
    assert (caught.value.message, caught.value.field) == (contact.NOT_A_PHONE, "phone")


def test_the_case_form_reads_the_number_in_the_cases_location_and_finds_the_duplicate(dublin):
    clerk = staff(Role.FRONTLINE, dublin)
    CustomerFactory(home_location=dublin, name="Siobhan Kelly", phone="+35312345678")
    response = signed_in(clerk).post(reverse("cases:create"), form_data(dublin, new_phone="(01) 234-5678"))
    assert response.status_code == 200 and not Case.objects.exists()
    form = response.context["form"]
    assert form.errors["new_phone"] == [DUPLICATE_PHONE.format(name="Siobhan Kelly")]
    assert response.context["duplicate"].name == "Siobhan Kelly"


def test_an_invalid_number_gets_a_clear_message_and_keeps_what_was_typed(frontline_client, soho):
    response = frontline_client.post(reverse("cases:create"), form_data(soho, new_phone="+44 12"))
    form = response.context["form"]
    assert form.errors["new_phone"] == [contact.TOO_SHORT.format(country="+44 (GB)")]
    assert form["new_phone"].value() == "+44 12"
    assert not Case.objects.exists()


def test_editing_a_customer_keeps_the_typed_number_when_refused(frontline_client, customer):
    data = {"name": customer.name, "email": customer.email, "phone": "0770 090", "preferred_channel": "email"}
    response = frontline_client.post(reverse("customers:edit", args=[customer.pk]), data)
    assert response.status_code == 200
    assert response.context["form"]["phone"].value() == "0770 090"
    customer.refresh_from_db()
    assert customer.phone == "+447700900101"


@pytest.mark.parametrize("typed", ["07700 900101", "+44 7700 900101", "0044 (0)7700-900101", "07700 9001", "900101"])
def test_search_finds_the_customer_whatever_format_is_typed(frontline_client, customer, typed):
    results = frontline_client.get(reverse("customers:search"), {"q": typed}).json()["results"]
    assert [row["name"] for row in results] == ["Alice Moreno"], typed


def test_search_reads_a_number_in_the_region_of_the_users_locations(dublin):
    CustomerFactory(home_location=dublin, name="Siobhan Kelly", phone="+35312345678")
    results = signed_in(staff(Role.FRONTLINE, dublin)).get(reverse("customers:search"), {"q": "01 234 5678"}).json()
    assert [row["name"] for row in results["results"]] == ["Siobhan Kelly"]


def test_existing_numbers_are_migrated_and_nothing_is_lost(soho, dublin):
    rows = {
        "national": CustomerFactory(home_location=soho),
        "irish": CustomerFactory(home_location=dublin),
        "already": CustomerFactory(home_location=soho),
        "clash": CustomerFactory(home_location=soho),
        "nonsense": CustomerFactory(home_location=soho),
        "none": CustomerFactory(home_location=soho, email="none@example.com"),
    }
    typed = {
        "national": "020 7946 0958",
        "irish": "01 234 5678",
        "already": "+447700900555",
        "clash": "07700 900555",
        "nonsense": "ask at the bar",
        "none": "",
    }
    for key, phone in typed.items():
        Customer.objects.filter(pk=rows[key].pk).update(phone=phone)  # as older code stored them
    said = []
    changed, unreadable, clashing = migration.phones_to_e164(apps, None, report=said.append)
    stored = {key: Customer.objects.get(pk=row.pk).phone for key, row in rows.items()}
    assert stored == {
        "national": "+442079460958",
        "irish": "+35312345678",
        "already": "+447700900555",
        "clash": "07700 900555",
        "nonsense": "ask at the bar",
        "none": "",
    }
    assert (changed, unreadable, clashing) == (2, [rows["nonsense"].pk], [(rows["clash"].pk, rows["already"].pk)])
    report = "\n".join(said)
    assert "2 of 5 rewritten" in report and str(rows["nonsense"].pk) in report and str(rows["clash"].pk) in report
    # Running it again changes nothing.
    assert migration.phones_to_e164(apps, None, report=said.append)[0] == 0


@pytest.mark.parametrize("typed", ["07700 900101", "+44 7700 900101", "0044 7700 900101"])
def test_the_case_list_finds_a_customers_cases_by_their_number_however_typed(frontline_client, soho, customer, typed):
    case = CaseFactory(location=soho, customer=customer)
    CaseFactory(location=soho)
    page = frontline_client.get(reverse("cases:list"), {"q": typed}).context["page"]
    assert list(page.object_list) == [case]


def test_a_number_typed_with_its_spaces_and_brackets_is_taken_on_the_customer_page(frontline_client, customer):
    data = {
        "name": customer.name,
        "email": customer.email,
        "phone": "+44 (0) 7700 900 777",
        "preferred_channel": "email",
    }
    response = frontline_client.post(reverse("customers:edit", args=[customer.pk]), data)
    assert response.status_code == 302
    customer.refresh_from_db()
    assert customer.phone == "+447700900777"
