"""A customer's history shows staff what their locations hold, and of the rest only how many."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from recovery.models import Proposal
from tests.conftest import signed_in
from tests.factories import CaseFactory, ProposalFactory, ProposalLineFactory, staff

GIFT_CODE = "GIFT-CAMDEN-4417"


@pytest.fixture
def cases(customer, soho, camden, frontline):
    """Alice's incidents: two at Soho, one at Camden with a gift card delivered."""
    now = timezone.now()
    here = [
        CaseFactory(location=soho, customer=customer, created_by=frontline, created_at=now - timedelta(days=d))
        for d in (1, 2)
    ]
    there = CaseFactory(location=camden, customer=customer, created_by=staff(Role.FRONTLINE, camden))
    proposal = ProposalFactory(case=there, state=Proposal.State.DELIVERED, compensation=Decimal("77.00"))
    ProposalLineFactory(proposal=proposal, face_value=Decimal("77.00"), delivered_at=now, delivery_reference=GIFT_CODE)
    soho_proposal = ProposalFactory(case=here[1], state=Proposal.State.DELIVERED)
    ProposalLineFactory(
        proposal=soho_proposal, face_value=Decimal("12.00"), delivered_at=now, delivery_reference="SOHO-1"
    )
    return {"here": here, "there": there}


def assert_nothing_of(html, there):
    assert there.reference not in html
    assert GIFT_CODE not in html and "77.00" not in html


def test_the_customer_page_shows_staff_their_locations_cases_and_counts_the_rest(customer, cases, manager):
    html = signed_in(manager).get(customer.get_absolute_url()).content.decode()
    assert all(case.reference in html for case in cases["here"])
    assert "SOHO-1" in html
    assert_nothing_of(html, cases["there"])
    assert "1 incident at other locations" in html


def test_the_case_page_customer_panel_shows_only_this_locations_incidents(customer, cases, frontline):
    html = signed_in(frontline).get(cases["here"][0].get_absolute_url()).content.decode()
    assert cases["here"][1].reference in html
    assert_nothing_of(html, cases["there"])
    assert "And 1 incident at other locations" in html


def test_the_proposal_page_history_shows_only_this_locations_incidents(customer, cases, manager):
    proposal = cases["here"][1].proposals.get()
    html = signed_in(manager).get(proposal.get_absolute_url()).content.decode()
    assert cases["here"][0].reference in html
    assert_nothing_of(html, cases["there"])
    assert "1 incident at other locations" in html


def test_an_owner_sees_every_location(customer, cases, owner):
    html = signed_in(owner).get(customer.get_absolute_url()).content.decode()
    assert cases["there"].reference in html and GIFT_CODE in html
    assert "at other locations" not in html


def test_the_case_export_for_a_customer_holds_only_this_locations_cases(customer, cases, manager):
    url = reverse("cases:list") + f"?customer={customer.pk}&export=csv"
    body = b"".join(signed_in(manager).get(url).streaming_content).decode()
    assert cases["here"][0].reference in body
    assert cases["there"].reference not in body


def test_the_type_ahead_lists_no_incidents(customer, cases, frontline):
    body = signed_in(frontline).get(reverse("customers:search"), {"q": "Alice"}).content.decode()
    assert "Alice Moreno" in body
    assert cases["there"].reference not in body and GIFT_CODE not in body
