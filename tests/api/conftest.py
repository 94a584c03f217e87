"""The API's tests: clients that carry a token, and a case's body as a till would send it."""

import pytest
from rest_framework.test import APIClient

from accounts.roles import Role
from api.services import integration_token_create, personal_token_create
from tests.factories import staff
from tests.recovery.conftest import meal_case  # noqa: F401  # the recovery tests' spoiled meal (71 suggested), here too


def token_client(secret: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def as_user(user) -> APIClient:
    """A client with a personal token of `user`'s: exactly their rights."""
    return token_client(personal_token_create(actor=user, name="tests").secret)


def integration(owner, location, role: Role = Role.FRONTLINE, name: str = "Till") -> APIClient:
    return token_client(integration_token_create(actor=owner, location=location, role=role, name=name).secret)


def case_body(**changes) -> dict:
    body = {
        "new_customer": {"name": "Jane Doe", "email": "jane@example.com", "phone": "+44 7700 900999"},
        "channel": "in_person",
        "category": "delay",
        "description": "Waited 50 minutes; the main course came cold.",
        "order_value": {"amount": "64.00", "currency": "GBP"},
        "lost": "all",
    }
    body.update(changes)
    return body


@pytest.fixture
def the_owner(db):
    return staff(Role.OWNER, username="olga")


@pytest.fixture
def till(the_owner, soho):
    """The Soho till's integration token (frontline)."""
    return integration(the_owner, soho)
