from datetime import timedelta

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case, Event
from cases.services import case_set_severity
from cases.severity import Severity
from customers.models import Customer
from desk.admin import CustomerAdmin
from followups.models import FollowUp
from privacy.services import ANONYMISED_NAME, REMOVED, customer_anonymise
from tests.factories import CaseFactory, SatisfactionResponseFactory, SentCustomerMessageFactory, staff


@pytest.fixture
def case(soho, frontline, customer):
    return CaseFactory(
        location=soho,
        created_by=frontline,
        customer=customer,
        description="Alice's booking for her mother's birthday was lost.",
        hidden_costs_description="Taxi to Alice's flat",
    )


def scheduled(case, purpose, kind):
    return SentCustomerMessageFactory(
        case=case,
        purpose=purpose,
        kind=kind,
        state="scheduled",
        sent_at=None,
        due_at=timezone.now() + timedelta(days=3),
    )


def test_anonymising_removes_what_names_or_reaches_the_customer(customer, case, owner):
    customer.notes = "Prefers the window table; allergic to nuts."
    customer.save()
    customer_anonymise(customer=customer, actor=owner)
    customer.refresh_from_db()
    assert customer.name == ANONYMISED_NAME
    assert (customer.email, customer.phone, customer.notes) == ("", "", "")
    assert customer.yearly_value is None and customer.customer_since is None
    assert customer.contact_consent is False
    assert customer.anonymised_at is not None
    case.refresh_from_db()
    assert (case.description, case.hidden_costs_description) == (REMOVED, REMOVED)
    assert case.events.last().actor == owner


def test_anonymising_cancels_messages_and_calls_to_the_customer_but_not_delivering_what_is_owed(customer, case, owner):
    check = scheduled(case, "satisfaction_check", "satisfaction_check")
    remedy_message = scheduled(case, "remedy_message", "customer_message")
    callback = scheduled(case, "callback_reminder", "staff_reminder")
    already_sent = SentCustomerMessageFactory(case=case, purpose="remedy_message")
    reminder = scheduled(case, "delivery_reminder", "staff_reminder")
    customer_anonymise(customer=customer, actor=owner)
    states = dict(FollowUp.objects.values_list("pk", "state"))
    assert states[check.pk] == states[remedy_message.pk] == states[callback.pk] == "cancelled"
    assert states[already_sent.pk] == "sent"
    assert states[reminder.pk] == "scheduled"


def test_anonymising_clears_what_people_wrote_on_the_timeline(customer, case, owner):
    note = Event.objects.create(case=case, kind="case.note_added", actor=owner, note="Alice lives at 4 Elm Road")
    opened = Event.objects.create(case=case, kind="case.logged", actor=owner, note="Severity suggested: Moderate.")
    customer_anonymise(customer=customer, actor=owner)
    note.refresh_from_db()
    opened.refresh_from_db()
    assert note.note == REMOVED
    assert opened.note == "Severity suggested: Moderate."


def test_anonymising_keeps_a_severity_change_but_not_the_reason_typed_for_it(customer, case, owner):
    other = next(level for level in Severity if level.value != case.suggested_severity)
    case_set_severity(case=case, actor=owner, severity=other, reason="Alice is a regular, nine-month pregnant")
    customer_anonymise(customer=customer, actor=owner)
    changed = Event.objects.get(case=case, kind=Event.Kind.CASE_SEVERITY_CHANGED)
    assert "Alice" not in changed.note and changed.note.endswith(f"→ {other.label}.")
    assert changed.payload["reason"] == REMOVED and changed.payload["after"] == other.value
    case.refresh_from_db()
    assert case.severity_override_reason == REMOVED


def test_anonymising_clears_the_satisfaction_comment(customer, case, owner):
    response = SatisfactionResponseFactory(
        case=CaseFactory(location=case.location, customer=customer), comment="Ask for Alice"
    )
    customer_anonymise(customer=customer, actor=owner)
    response.refresh_from_db()
    assert response.comment == REMOVED and response.rating == 4


def test_anonymising_twice_changes_nothing_the_second_time(customer, case, owner):
    first = customer_anonymise(customer=customer, actor=owner)
    events = case.events.count()
    second = customer_anonymise(customer=customer, actor=owner, now=timezone.now() + timedelta(days=1))
    assert second.anonymised_at == first.anonymised_at
    assert case.events.count() == events


def test_two_anonymised_customers_do_not_clash_on_empty_email_and_phone(soho, owner):
    first, second = CaseFactory(location=soho).customer, CaseFactory(location=soho).customer
    customer_anonymise(customer=first, actor=owner)
    customer_anonymise(customer=second, actor=owner)
    assert Customer.objects.filter(anonymised_at__isnull=False).count() == 2


def test_other_customers_cases_are_untouched(customer, case, owner, soho):
    other = CaseFactory(location=soho, description="Soup was cold.")
    customer_anonymise(customer=customer, actor=owner)
    assert Case.objects.get(pk=other.pk).description == "Soup was cold."


def _admin_request(user):
    request = RequestFactory().get("/admin/customers/customer/")
    request.user = user
    return request


def test_only_owners_have_the_anonymise_action(soho):
    model_admin = CustomerAdmin(Customer, admin.site)
    owner = staff(Role.OWNER, is_staff=True)
    manager = staff(Role.MANAGER, soho, is_staff=True)
    assert "anonymise" in model_admin.get_actions(_admin_request(owner))
    assert "anonymise" not in model_admin.get_actions(_admin_request(manager))


def test_an_owner_anonymises_from_the_back_office(customer, case):
    client = Client()
    client.force_login(staff(Role.OWNER, is_staff=True))
    response = client.post(
        reverse("admin:customers_customer_changelist"),
        {"action": "anonymise", "_selected_action": [customer.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "1 customer(s) anonymised." in response.content.decode()
    customer.refresh_from_db()
    assert customer.name == ANONYMISED_NAME


def test_a_manager_cannot_run_the_action_by_posting_it(customer, case, soho):
    client = Client()
    client.force_login(staff(Role.MANAGER, soho, is_staff=True))
    client.post(
        reverse("admin:customers_customer_changelist"), {"action": "anonymise", "_selected_action": [customer.pk]}
    )
    customer.refresh_from_db()
    assert customer.name == "Alice Moreno"


def test_anonymising_forgets_the_address_the_customer_acted_from_but_not_staffs(customer, case, owner):
    answered = Event.objects.create(case=case, kind="customer.answered", actor=None, ip="203.0.113.9")
    noted = Event.objects.create(case=case, kind="case.note_added", actor=owner, ip="198.51.100.7")
    customer_anonymise(customer=customer, actor=owner)
    answered.refresh_from_db()
    noted.refresh_from_db()
    assert (answered.ip, noted.ip) == (None, "198.51.100.7")
