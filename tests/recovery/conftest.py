from decimal import Decimal

import pytest

from tests.factories import CaseFactory


@pytest.fixture
def meal_case(soho, frontline):
    # A spoiled 64 meal: the engine suggests 71, above the frontline limit of 50.
    return CaseFactory(
        location=soho,
        created_by=frontline,
        category="delay",
        order_value=Decimal("64"),
        lost="all",
        severity="moderate",
        suggested_severity="moderate",
    )
