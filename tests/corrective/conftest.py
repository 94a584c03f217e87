import pytest

from tests.factories import CaseFactory, CorrectiveActionFactory, CustomerFactory


@pytest.fixture
def soho_case(soho, frontline, customer):
    """A case at Soho whose customer agreed to be contacted and has an email address."""
    return CaseFactory(location=soho, customer=customer, created_by=frontline)


@pytest.fixture
def action(soho, manager):
    return CorrectiveActionFactory(location=soho, owner=manager, created_by=manager, title="Check the oven daily")


@pytest.fixture
def case_at(frontline):
    """case_at(location, consent=True, email=..., phone=...): a case whose customer is as asked."""

    def make(location, **customer):
        return CaseFactory(
            location=location, created_by=frontline, customer=CustomerFactory(home_location=location, **customer)
        )

    return make
