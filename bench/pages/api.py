"""The API's case endpoints, for the benchmark (see bench/registry.py): requests as an integration
sends them, with a token (a personal one of the same bench staff the pages use, made for the
run) and JSON."""

import re
import uuid
from collections.abc import Callable

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from bench.registry import Request, page

TOKEN = re.compile(r"amd_[A-Za-z0-9]+_[A-Za-z0-9_-]+")


def bearer(user: User) -> Callable[[], dict[str, str]]:
    """The headers of a token of `user`'s, made for the run as a person makes one: on their
    "API tokens" page, which shows it once (the tooling does not import the API: import-linter)."""
    client = Client()
    client.force_login(user)
    response = client.post(reverse("tokens:personal"), {"name": "bench"})
    found = TOKEN.search(response.content.decode()) if response.status_code == 201 else None
    if found is None:
        raise RuntimeError(f"No API token for {user}: the tokens page answered {response.status_code}.")
    secret = found.group()
    return lambda: {"authorization": f"Bearer {secret}"}


@page("api_case_create")
def api_case_create(subjects):
    """A till logging a case for a customer on file, with an Idempotency-Key (as docs/api.md
    recommends): as case_create, another branch's staff, so the other pages never show it."""
    token = bearer(subjects.creator)

    def data():
        return {
            "customer": subjects.other_customer.pk,
            "location": subjects.creator_location.pk,
            "channel": "in_person",
            "category": "delay",
            "description": "Waited forty minutes for a booked table; the food came cold.",
            "occurred_at": timezone.now().isoformat(),
            "order_value": {"amount": "64.00"},  # in the house currency
            "lost": "all",
        }

    return Request(
        None,
        reverse("api:cases"),
        method="post",
        data=data,
        headers=lambda: {**token(), "idempotency-key": str(uuid.uuid4())},
        content_type="application/json",
        expect=(201,),
    )


# A manager's first page of their location's cases, newest first (50 a page), and a frontline
# user's open cases, as the case list page's `case_list` has them.
page("api_case_list", lambda s: Request(None, reverse("api:cases"), headers=bearer(s.manager)))
page(
    "api_case_list_mine",
    lambda s: Request(None, f"{reverse('api:cases')}?assignee=me&state=active", headers=bearer(s.frontline)),
)
