"""What the engine sees of a case: its facts as logged, and what the customer was already given."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from cases.severity import Lost
from recovery.models import Proposal
from recovery.policy import RemedyKind
from recovery.replays import replay_cases
from recovery.selectors import case_facts, earlier_recoveries, suggestions_for
from tests.factories import CaseFactory, ProposalFactory


def earlier_case(customer, location, days_before, state=Proposal.State.APPROVED, now=None):
    case = CaseFactory(customer=customer, location=location, created_at=now - timedelta(days=days_before))
    if state is not None:
        ProposalFactory(case=case, state=state)
    return case


def test_the_engine_sees_recoveries_at_any_location_in_the_90_days_before(soho, camden, customer, frontline):
    now = timezone.now()
    case = CaseFactory(location=soho, customer=customer, created_by=frontline, created_at=now)
    earlier_case(customer, soho, 10, now=now)
    earlier_case(customer, camden, 60, state=Proposal.State.DELIVERED, now=now)  # elsewhere: counted
    twice = earlier_case(customer, soho, 20, now=now)
    ProposalFactory(case=twice)  # two proposals on one case: one case
    earlier_case(customer, soho, 30, state=Proposal.State.REJECTED, now=now)  # nothing given
    earlier_case(customer, soho, 40, state=None, now=now)  # nothing given yet
    earlier_case(customer, soho, 91, now=now)  # too long ago
    CaseFactory(location=soho, customer=customer, created_at=now + timedelta(days=1))  # after this one
    ProposalFactory(case=case)  # this case's own
    assert earlier_recoveries(case) == 3
    # The what-if replay reads every case in one query, the count annotated: it sees the same.
    replayed = {
        row.case_id: row.facts
        for row in replay_cases(location_ids=None, since=now - timedelta(days=365), until=now + timedelta(days=2))
    }
    assert replayed[case.pk] == case_facts(case) and replayed[case.pk].earlier_recoveries == 3
    assert replayed[twice.pk].earlier_recoveries == earlier_recoveries(twice)


def test_what_was_given_before_is_read_in_one_query(soho, customer, frontline, django_assert_num_queries):
    case = CaseFactory(location=soho, customer=customer, created_by=frontline)
    with django_assert_num_queries(1):
        earlier_recoveries(case)


def test_the_facts_as_logged_reach_the_engine(soho, customer, frontline):
    logged = {"lost": "part", "time_lost_minutes": 45, "occasion_mattered": True, "repeat_incident": True}
    case = CaseFactory(location=soho, customer=customer, **logged)
    facts = case_facts(case)
    assert (facts.lost, facts.time_lost_minutes, facts.occasion_mattered) == (Lost.PART, 45, True)
    assert (facts.repeat_incident, facts.earlier_recoveries, facts.incident_number) == (True, 0, 2)


def test_a_third_time_brings_the_owner_to_the_phone_and_a_step_to_fix_the_cause(soho, customer, frontline):
    now = timezone.now()
    case = CaseFactory(
        location=soho, customer=customer, created_by=frontline, order_value=Decimal("30"), repeat_incident=True
    )
    for days in (20, 50):
        earlier_case(customer, soho, days, now=now)
    for option in suggestions_for(case, frontline):
        (call,) = [line for line in option.lines if line.kind is RemedyKind.OWNER_CALL]
        assert "third time in 90 days" in call.reason and "corrective action" in call.reason
        assert "this is the third time in three months" in option.words
        assert "fixing the cause" in option.words
