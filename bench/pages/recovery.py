"""The recovery pages and the suggestion engine, for the benchmark (see bench/registry.py)."""

from django.urls import reverse

from bench.registry import Request, page
from recovery.outcome_selectors import evidence_of_lines, similar_tallies
from recovery.policy import Role
from recovery.selectors import case_facts, policy_in_force, suggestions_for
from recovery.suggestions import Asker, suggest


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


@page("suggestion_with_evidence")
def suggestion_with_evidence(subjects):
    """The suggestions for one case and what similar cases say of each, as the case page reads
    them: the policy, the case's money and budget, and one read of the outcome roll-up."""
    case, user = subjects.open_case, subjects.frontline

    def call():
        options = suggestions_for(case, user, policy_in_force())
        tallies = similar_tallies(case, user)
        return [evidence_of_lines(tallies, case, option.lines) for option in options]

    return Request(None, "", call=call)


@page("case_detail_suggestions")
def case_detail_suggestions(subjects):
    return Request(subjects.frontline, subjects.open_case.get_absolute_url())


@page("approval_queue")
def approval_queue(subjects):
    return Request(subjects.manager, reverse("recovery:queue"))
