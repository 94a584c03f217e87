"""The recovery pages and the suggestion engine, for the benchmark (see core/bench.py)."""

from django.urls import reverse

from core.bench import Request, page

from .policy import Role
from .selectors import case_facts, policy_in_force
from .suggestions import Asker, suggest


@page("suggestion")
def suggestion(subjects):
    """The engine alone: the facts and policy loaded once, as the case page has them."""
    facts, in_force = case_facts(subjects.open_case), policy_in_force()
    asker = Asker(Role.FRONTLINE)

    def call():
        return suggest(
            facts,
            asker=asker,
            yearly_value=subjects.open_case.customer.yearly_value,
            policy=in_force.policy,
            catalogue=in_force.catalogue,
        )

    return Request(None, "", call=call)


@page("case_detail_suggestions")
def case_detail_suggestions(subjects):
    return Request(subjects.frontline, subjects.open_case.get_absolute_url())


@page("approval_queue")
def approval_queue(subjects):
    return Request(subjects.manager, reverse("recovery:queue"))
