"""The case and customer pages the benchmark measures (see bench/registry.py): one line a page."""

import uuid

from django.urls import reverse
from django.utils import timezone

from bench.registry import Request, page


def case_list(query: str) -> str:
    return f"{reverse('cases:list')}?{query}"


# A frontline user's landing page (their open cases), and a manager's (all open cases at their location).
page("case_list", lambda s: Request(s.frontline, case_list("assignee=me&state=active")))
page("case_list_manager", lambda s: Request(s.manager, case_list("state=active")))
page(
    "case_list_filtered",
    lambda s: Request(
        s.manager,
        case_list(f"state=closed&category=delay&severity=moderate&location={s.location.pk}"),
    ),
)
# Words from the descriptions (the full-text index; about 2% of the cases match), and a customer's
# first name (the trigram indexes on customers, and the full-text index: descriptions name the customer).
page("case_list_search", lambda s: Request(s.manager, case_list("q=cracked+screen")))
page(
    "case_list_search_customer",
    lambda s: Request(s.manager, case_list(f"q={s.customer.name.split()[0]}")),
)
page("case_detail", lambda s: Request(s.frontline, s.case.get_absolute_url()))
page("customer_detail", lambda s: Request(s.frontline, s.customer.get_absolute_url()))


@page("case_create")
def case_create(subjects):
    def data():
        return {
            "submission_token": str(uuid.uuid4()),
            "customer": subjects.other_customer.pk,
            "new_preferred_channel": "email",
            "location": subjects.creator_location.pk,
            "channel": "in_person",
            "category": "delay",
            "description": "Waited forty minutes for a booked table; the food came cold.",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "order_value": "64.00",
            "hidden_costs": "0",
            "lost": "all",
        }

    return Request(
        subjects.creator,
        reverse("cases:create"),
        method="post",
        data=data,
        expect=(302,),
    )
