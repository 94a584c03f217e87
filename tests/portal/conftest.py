from decimal import Decimal

import pytest
from django.urls import reverse

from cases.links import case_token
from tests.factories import CaseFactory


@pytest.fixture
def case(soho, frontline, customer):
    return CaseFactory(
        location=soho,
        created_by=frontline,
        customer=customer,
        category="delay",
        description="The table we booked was given to someone else; we waited fifty minutes.",
        hidden_costs=Decimal("12.50"),
        hidden_costs_description="Taxi to another restaurant",
    )


def link_to(case) -> str:
    return reverse("portal:case", kwargs={"token": case_token(case.pk)})


@pytest.fixture
def link(case):
    return link_to(case)
