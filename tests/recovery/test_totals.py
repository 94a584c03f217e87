"""What a remedy adds up to: compensation, its cost to us and what is owed back, said apart and adding up."""

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from core.money import format_money
from recovery.policy import RemedyKind, Role
from recovery.suggestions import Line, Option
from recovery.totals import COMPENSATION_WORDS, Totals, totals_of, totals_words
from tests.factories import ProposalFactory, ProposalLineFactory

D = Decimal
BILLING = (
    Line(RemedyKind.APOLOGY, D(0), D(0), "sorry"),
    Line(RemedyKind.CORRECTION, D("18.00"), D("18.00"), "gives back the overcharge"),
    Line(RemedyKind.GIFT_CARD, D("5.00"), D("4.00"), "a gesture"),
)


def test_a_correction_is_owed_back_apart_from_the_compensation_and_its_cost():
    option = Option(1, "Put it right", BILLING, False, None, "", 1)
    assert option.totals == Totals(compensation=D("5.00"), compensation_cost=D("4.00"), owed_back=D("18.00"))
    assert totals_words(option.totals, format_money) == (
        "£5.00 compensation, costing us £4.00, and £18.00 owed back (the overcharge corrected):"
        " £23.00 to the customer in all"
    )


def test_without_a_correction_only_the_compensation_and_its_cost_are_said():
    assert totals_words(Totals(D("71.00"), D("56.80")), format_money) == "£71.00 compensation, costing us £56.80"


amounts = st.decimals(min_value=0, max_value=10_000, places=2)


@given(st.lists(st.tuples(st.sampled_from(list(RemedyKind)), amounts, st.decimals(0, 2, places=2)), max_size=6))
def test_the_parts_add_up_to_what_the_customer_gets(raw):
    lines = [Line(kind, face, (face * ratio).quantize(D("0.01")), "") for kind, face, ratio in raw]
    totals = totals_of(lines)
    assert totals.to_customer == sum((line.face_value for line in lines), D(0))
    assert totals.compensation + totals.owed_back == totals.to_customer


def test_a_stored_proposal_says_the_same_as_its_lines(db):
    proposal = ProposalFactory(compensation=D("5.00"), face_value=D("23.00"), cost=D("22.00"))
    for line in BILLING[1:]:
        ProposalLineFactory(proposal=proposal, kind=line.kind.value, face_value=line.face_value, cost=line.cost)
    assert (
        proposal.totals == totals_of(proposal.lines.all()) == Option(1, "", BILLING, False, Role.MANAGER, "", 1).totals
    )


def test_a_page_says_the_totals_in_its_own_language():
    french = {COMPENSATION_WORDS: "{compensation} de dédommagement, qui nous coûte {cost}"}
    said = totals_words(Totals(D("71.00"), D("56.80")), format_money, lambda text: french.get(text, text))
    assert said == "£71.00 de dédommagement, qui nous coûte £56.80"
