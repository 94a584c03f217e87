"""The case pages the benchmark measures (see core/bench.py)."""

import uuid

from django.urls import reverse
from django.utils import timezone

from core.bench import Request, page


@page("case_list")
def case_list(subjects):
    return Request(subjects.frontline, reverse("cases:list") + "?assignee=me&state=active")


@page("case_list_manager")
def case_list_manager(subjects):
    return Request(subjects.manager, reverse("cases:list") + "?state=active")


@page("case_list_filtered")
def case_list_filtered(subjects):
    query = f"?state=closed&category=delay&severity=moderate&location={subjects.location.pk}&sort=newest"
    return Request(subjects.manager, reverse("cases:list") + query)


@page("case_list_search")
def case_list_search(subjects):
    return Request(subjects.manager, reverse("cases:list") + "?q=tow+truck&sort=newest")


@page("case_list_search_customer")
def case_list_search_customer(subjects):
    return Request(subjects.manager, reverse("cases:list") + f"?q={subjects.customer.name.split()[0]}&sort=newest")


@page("case_detail")
def case_detail(subjects):
    return Request(subjects.frontline, subjects.case.get_absolute_url())


@page("customer_detail")
def customer_detail(subjects):
    return Request(subjects.frontline, subjects.customer.get_absolute_url())


@page("case_create")
def case_create(subjects):
    def data():
        return {
            "submission_token": str(uuid.uuid4()),
            "customer": subjects.other_customer.pk,
            "new_preferred_channel": "email",
            "location": subjects.location.pk,
            "channel": "in_person",
            "category": "delay",
            "description": "Waited forty minutes for a booked table; the food came cold.",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "order_value": "64.00",
            "hidden_costs": "0",
            "experience_ruined": "on",
        }

    return Request(subjects.frontline, reverse("cases:create"), method="post", data=data, expect=(302,))
