"""Evidence on the suggestions: read from the outcome roll-up for the reader's locations, shown
on the case page, kept on the proposal and shown to the approver."""

import uuid
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from recovery.evidence import Evidence
from recovery.models import OutcomeRollup, Proposal
from recovery.outcome_selectors import similar_tallies, window_start
from recovery.outcomes import AMOUNT_BANDS, KIND_LABELS
from tests.conftest import signed_in
from tests.recovery.test_views import edit_data, take


def history(location, case, *, retained=40, lost=10, day=None):
    """Month rows as the roll-up would write them: every remedy kind and every amount band
    given to `retained + lost` similar cases closed at `location`."""
    day = day or timezone.localdate().replace(day=1)
    rows = [("kind", kind) for kind in KIND_LABELS] + [("amount", band) for band in AMOUNT_BANDS]
    OutcomeRollup.objects.bulk_create(
        OutcomeRollup(
            grain="month", day=day, location=location, category=case.category, severity=case.severity,
            dimension=dimension, value=value, cases=retained + lost, closed=retained + lost,
            retained=retained, lost=lost,
        )
        for dimension, value in rows
    )  # fmt: skip


def test_a_manager_reads_the_evidence_of_their_locations_and_an_owner_of_all(meal_case, soho, camden, manager, owner):
    history(soho, meal_case, retained=40, lost=10)
    history(camden, meal_case, retained=5, lost=45)
    mine, everyone = similar_tallies(meal_case, manager), similar_tallies(meal_case, owner)
    assert mine["kind", "gift_card"].n == 50 and mine["kind", "gift_card"].retained == 40
    assert everyone["kind", "gift_card"].n == 100 and everyone["kind", "gift_card"].retained == 45


def test_only_the_last_twelve_months_of_the_same_category_and_severity_count(meal_case, soho, owner):
    today = timezone.localdate()
    history(soho, meal_case)
    history(soho, meal_case, day=window_start(today) - timedelta(days=1))  # thirteen months ago
    other = type(meal_case)(category="billing_error", severity=meal_case.severity)
    history(soho, other)
    assert similar_tallies(meal_case, owner)["amount", "none"].n == 50


def test_the_window_is_twelve_months_with_this_one():
    assert window_start(timezone.datetime(2026, 12, 2).date()) == timezone.datetime(2026, 1, 1).date()
    assert window_start(timezone.datetime(2026, 3, 31).date()) == timezone.datetime(2025, 4, 1).date()


def test_the_case_page_shows_what_similar_cases_say(frontline_client, meal_case, soho):
    history(soho, meal_case)
    page = frontline_client.get(meal_case.get_absolute_url())
    cards = page.context["recovery"].suggestion_cards
    assert cards and all(card.evidence.similar == 200 and card.evidence.comparisons for card in cards)
    assert "Of 200 similar cases in the last 12 months (same category and severity)" in page.content.decode()


def test_with_too_few_similar_cases_the_page_says_so_and_shows_no_rate(frontline_client, meal_case, soho):
    history(soho, meal_case, retained=3, lost=5)
    page = frontline_client.get(meal_case.get_absolute_url())
    body = page.content.decode()
    assert "Fewer than 30 similar cases" not in body  # 32 of them: 4 amount bands of 8
    assert "too few were given these remedies" in body
    assert "came back" not in body


def test_a_proposal_keeps_the_evidence_it_was_made_with_and_the_approver_sees_it(
    frontline_client, meal_case, soho, manager
):
    history(soho, meal_case)
    take(frontline_client, meal_case)
    proposal = Proposal.objects.get()
    stored = Evidence.from_json(proposal.evidence)
    assert stored.similar == 200 and stored.comparisons
    # The roll-up moves on; the proposal shows what the proposer saw.
    OutcomeRollup.objects.all().delete()
    page = signed_in(manager).get(proposal.get_absolute_url())
    assert page.context["evidence"] == stored
    assert "What similar cases said" in page.content.decode()
    assert stored.comparisons[0].sentence in page.content.decode()


def test_an_edited_proposal_keeps_the_evidence_of_what_was_chosen(frontline_client, meal_case, soho):
    history(soho, meal_case)
    data = edit_data(below_floor_reason="She only wanted half back")
    response = frontline_client.post(reverse("recovery:propose", args=[meal_case.pk]), data)
    assert response.status_code == 302
    stored = Evidence.from_json(Proposal.objects.get().evidence)
    phrases = [c.phrase for c in stored.comparisons]
    assert phrases == ["given a partial refund", "given below 60% of their loss"]  # 30 of 64


def test_a_proposal_made_before_evidence_was_kept_shows_none(meal_case, frontline, manager):
    from tests.factories import ProposalFactory

    proposal = ProposalFactory(case=meal_case, proposed_by=frontline, state="pending", approver_role="Manager")
    page = signed_in(manager).get(proposal.get_absolute_url())
    assert page.status_code == 200 and page.context["evidence"] is None
    assert "What similar cases said" not in page.content.decode()


def test_with_fewer_similar_cases_than_the_minimum_there_is_nothing_to_go_on(frontline_client, meal_case, soho):
    history(soho, meal_case, retained=3, lost=1)
    body = frontline_client.get(meal_case.get_absolute_url()).content.decode()
    assert "Fewer than 30 similar cases closed in the last 12 months" in body and "came back" not in body


def test_taking_a_suggestion_twice_keeps_one_proposal_with_its_evidence(frontline_client, meal_case, soho):
    history(soho, meal_case)
    token = uuid.uuid4()
    take(frontline_client, meal_case, token=token)
    take(frontline_client, meal_case, token=token)
    assert Proposal.objects.count() == 1 and Proposal.objects.get().evidence["similar"] == 200


def test_the_evidence_for_every_option_is_two_queries_however_much_history(
    meal_case, soho, camden, frontline, django_assert_num_queries
):
    from recovery.outcome_selectors import evidence_of_lines
    from recovery.selectors import suggestions_for

    options = suggestions_for(meal_case, frontline)
    for location in (soho, camden):
        history(location, meal_case)
        history(location, meal_case, day=window_start(timezone.localdate()))  # a second month, if this is not it
    with django_assert_num_queries(2):  # the reader's locations, and the sums for every option
        tallies = similar_tallies(meal_case, frontline)
        found = [evidence_of_lines(tallies, meal_case, option.lines) for option in options]
    assert len(found) == len(options) >= 2


def test_the_case_page_says_once_how_the_rates_are_worked_out(frontline_client, meal_case, soho):
    history(soho, meal_case)
    body = frontline_client.get(meal_case.get_absolute_url()).content.decode()
    assert body.count("a prior worth 20 cases") == 1
