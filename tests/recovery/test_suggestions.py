"""The suggestion engine's promises, checked over many generated cases (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cases.severity import Lost, Severity
from core.money import format_money
from recovery.policy import DEFAULT_CATALOGUE, DEFAULT_POLICY, RemedyKind, RemedyType, Role
from recovery.suggestions import Asker, CaseFacts, Line, approval_needed, compensation_cap, effective_severity, suggest
from tests.recovery.strategies import facts, money, yearly

askers = st.builds(Asker, role=st.sampled_from(list(Role)))
FRONTLINE = Asker(Role.FRONTLINE)


def with_(base: CaseFacts, **changes) -> CaseFacts:
    return CaseFacts(**{**base.__dict__, **changes})


def first(options):
    return options[0].compensation


def least(options):
    return min(option.compensation for option in options)


@given(facts, yearly, askers)
def test_two_or_three_options(case, value, asker):
    options = suggest(case, asker=asker, yearly_value=value)
    assert 2 <= len(options) <= 3
    assert [o.rank for o in options] == list(range(1, len(options) + 1))


@given(facts, yearly)
def test_never_negative(case, value):
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        assert all(line.face_value >= 0 and line.cost >= 0 for line in option.lines)


@given(facts, yearly)
def test_never_above_the_caps(case, value):
    cap = compensation_cap(case, value, DEFAULT_POLICY)
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        assert option.compensation <= cap


@given(facts, yearly)
def test_apology_alone_only_for_minor_cases(case, value):
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        apology_only = {line.kind for line in option.lines} == {RemedyKind.APOLOGY}
        if apology_only:
            assert effective_severity(case) is Severity.MINOR


@given(facts, yearly)
def test_every_option_starts_with_an_apology(case, value):
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        assert option.lines[0].kind is RemedyKind.APOLOGY


@given(facts, yearly, askers)
def test_identical_input_identical_output(case, value, asker):
    assert suggest(case, asker=asker, yearly_value=value) == suggest(case, asker=asker, yearly_value=value)


@given(facts, yearly, money)
def test_more_loss_never_a_smaller_suggestion(case, value, extra):
    worse = with_(case, order_value=case.order_value + extra)
    before, after = (
        suggest(case, asker=FRONTLINE, yearly_value=value),
        suggest(worse, asker=FRONTLINE, yearly_value=value),
    )
    assert first(after) >= first(before) and least(after) >= least(before)


@given(facts, yearly, money)
def test_more_hidden_costs_never_a_smaller_suggestion(case, value, extra):
    worse = with_(case, hidden_costs=case.hidden_costs + extra)
    before, after = (
        suggest(case, asker=FRONTLINE, yearly_value=value),
        suggest(worse, asker=FRONTLINE, yearly_value=value),
    )
    assert first(after) >= first(before) and least(after) >= least(before)


@given(facts, yearly, st.sampled_from(list(Severity)))
def test_higher_severity_never_a_smaller_suggestion(case, value, other):
    low, high = sorted([case.severity, other], key=lambda s: s.rank)
    before = suggest(with_(case, severity=low), asker=FRONTLINE, yearly_value=value)
    after = suggest(with_(case, severity=high), asker=FRONTLINE, yearly_value=value)
    assert first(after) >= first(before) and least(after) >= least(before)


@given(facts, yearly)
def test_a_correction_is_owed_in_full_and_is_not_compensation(case, value):
    case = with_(case, category="billing_error")
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        corrections = [line for line in option.lines if line.kind is RemedyKind.CORRECTION]
        assert [line.face_value for line in corrections] == ([case.overcharge] if case.overcharge > 0 else [])
        # and a gesture with it, but for a minor slip put right there and then: the apology and
        # the fix (here, the money given back) may be all, and that option comes first
        on_the_spot = case.fixed_on_spot and case.severity is Severity.MINOR and option.rank == 1
        assert option.compensation > 0 or on_the_spot
        assert option.face_value - option.compensation == sum(line.face_value for line in corrections)


@given(facts, yearly)
def test_hidden_costs_are_reimbursed_up_to_the_cap(case, value):
    cap = compensation_cap(case, value, DEFAULT_POLICY)
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        paid = sum(line.face_value for line in option.lines if line.kind is RemedyKind.REIMBURSEMENT)
        assert paid == min(case.hidden_costs, cap)


@pytest.mark.parametrize(
    ("category", "flags"),
    [
        ("staff_conduct", {}),
        ("broken_promise", {}),
        ("delay", {"treated_poorly": True}),
    ],
)
def test_conduct_and_broken_promises_get_a_personal_call(category, flags):
    case = CaseFacts(category, Severity.MODERATE, Decimal("30"), **flags)
    for option in suggest(case, asker=FRONTLINE):
        assert RemedyKind.MANAGER_CALL in {line.kind for line in option.lines}


def test_a_repeat_incident_counts_once_and_brings_someone_more_senior_to_the_phone():
    # The repeat already raised the severity the case records (cases/severity.py): the engine
    # does not raise it again, it escalates who calls: the manager the second time, the owner
    # from the third, with a step to fix the cause.
    once = suggest(CaseFacts("delay", Severity.MODERATE, Decimal("40")), asker=FRONTLINE)
    again = suggest(CaseFacts("delay", Severity.MODERATE, Decimal("40"), repeat_incident=True), asker=FRONTLINE)
    third = suggest(
        CaseFacts("delay", Severity.MODERATE, Decimal("40"), repeat_incident=True, earlier_recoveries=2),
        asker=FRONTLINE,
    )
    assert [o.compensation for o in again] == [o.compensation for o in third] == [o.compensation for o in once]
    assert effective_severity(CaseFacts("delay", Severity.MODERATE, repeat_incident=True)) is Severity.MODERATE
    assert not {line.kind for line in once[0].lines} & {RemedyKind.MANAGER_CALL, RemedyKind.OWNER_CALL}
    (second_call,) = [line for line in again[0].lines if line.kind is RemedyKind.MANAGER_CALL]
    (third_call,) = [line for line in third[0].lines if line.kind is RemedyKind.OWNER_CALL]
    assert "second time in 90 days" in second_call.reason and "third time in 90 days" in third_call.reason
    assert "link a corrective action" in third_call.reason


def test_value_never_caps_below_the_loss():
    case = CaseFacts("defective_product", Severity.MAJOR, Decimal("400"), lost=Lost.ALL)
    small_customer = suggest(case, asker=Asker(Role.OWNER), yearly_value=Decimal("50"))
    assert first(small_customer) >= Decimal("400")


@pytest.mark.parametrize(
    ("asker", "needs", "approver"),
    [
        (Asker(Role.FRONTLINE), True, Role.MANAGER),
        (Asker(Role.FRONTLINE, limit_override=Decimal("100")), False, None),
        (Asker(Role.MANAGER), False, None),
        (Asker(Role.OWNER), False, None),
    ],
)
def test_who_must_approve_depends_on_who_asks(asker, needs, approver):
    case = CaseFacts("delay", Severity.MODERATE, Decimal("64"), lost=Lost.ALL)  # about 71
    option = suggest(case, asker=asker)[0]
    assert (option.needs_approval, option.approver) == (needs, approver)


def test_above_the_managers_limit_an_owner_approves():
    case = CaseFacts("defective_product", Severity.CRITICAL, Decimal("900"), lost=Lost.ALL)
    option = suggest(case, asker=Asker(Role.MANAGER))[0]
    assert (option.needs_approval, option.approver) == (True, Role.OWNER)


def test_over_the_months_budget_an_owner_approves():
    case = CaseFacts("delay", Severity.MODERATE, Decimal("30"), lost=Lost.ALL)
    option = suggest(case, asker=Asker(Role.MANAGER), budget_left=Decimal("10"))[0]
    assert (option.needs_approval, option.approver) == (True, Role.OWNER)
    assert "budget" in option.approval_reason


def test_a_disabled_remedy_is_never_offered():
    catalogue = {**DEFAULT_CATALOGUE, RemedyKind.GIFT_CARD: RemedyType(RemedyKind.GIFT_CARD, enabled=False)}
    options = suggest(CaseFacts("other", Severity.MAJOR, Decimal("80")), asker=FRONTLINE, catalogue=catalogue)
    assert RemedyKind.GIFT_CARD not in {line.kind for o in options for line in o.lines}


def test_every_option_records_the_policy_version():
    assert {o.policy_version for o in suggest(CaseFacts("delay", Severity.MAJOR, Decimal("80")), asker=FRONTLINE)} == {
        DEFAULT_POLICY.version
    }


def test_negative_amounts_are_refused():
    with pytest.raises(ValueError):
        suggest(CaseFacts("delay", Severity.MINOR, Decimal("-1")), asker=FRONTLINE)


def test_a_correction_counts_toward_the_limit():
    correction = [Line(RemedyKind.CORRECTION, Decimal("1900"), Decimal("1900"), "")]
    needs, approver, reason = approval_needed(correction, FRONTLINE, DEFAULT_POLICY, DEFAULT_CATALOGUE, None)
    assert (needs, approver) == (True, Role.OWNER)
    assert reason.startswith("1,900.00 is above your limit of 50.00")


def test_money_already_on_the_case_counts_toward_the_limit():
    fifty = [Line(RemedyKind.PARTIAL_REFUND, Decimal("50"), Decimal("50"), "")]
    alone = approval_needed(fifty, FRONTLINE, DEFAULT_POLICY, DEFAULT_CATALOGUE, None)
    split = approval_needed(fifty, FRONTLINE, DEFAULT_POLICY, DEFAULT_CATALOGUE, None, on_case=Decimal("250"))
    assert alone == (False, None, "")
    assert split == (True, Role.MANAGER, "300.00 on this case in all is above your limit of 50.00")


def test_an_owner_is_not_sent_to_an_owner_for_the_budget():
    refund = [Line(RemedyKind.FULL_REFUND, Decimal("40"), Decimal("40"), "")]
    for_owner = approval_needed(refund, Asker(Role.OWNER), DEFAULT_POLICY, DEFAULT_CATALOGUE, Decimal("10"))
    assert for_owner == (False, None, "")


def test_a_reason_says_whose_limit_it_is():
    case = CaseFacts("delay", Severity.MODERATE, Decimal("64"), lost=Lost.ALL)  # about 71
    read_by_the_asker = suggest(case, asker=FRONTLINE, money=format_money)[0]
    assert read_by_the_asker.approval_reason == "£71.00 is above your limit of £50.00"
    read_by_others = suggest(case, asker=Asker(Role.FRONTLINE, name="Fran Lyons"), money=format_money)[0]
    assert read_by_others.approval_reason == "£71.00 is above Fran Lyons's limit of £50.00"


def test_a_remedy_only_an_owner_grants_needs_an_owner():
    catalogue = {**DEFAULT_CATALOGUE, RemedyKind.GIFT_CARD: RemedyType(RemedyKind.GIFT_CARD, granted_by=Role.OWNER)}
    options = suggest(CaseFacts("other", Severity.MODERATE), asker=FRONTLINE, catalogue=catalogue)
    reasons = [o.approval_reason for o in options if o.approver is Role.OWNER]
    assert reasons and all("gift card needs an owner" in reason for reason in reasons)


@pytest.mark.parametrize("repeat", [False, True])
def test_the_explanation_names_the_cases_own_severity(repeat):
    said = "£28.00 for a major failure on a £100.00 purchase they used despite the flaw"
    case = CaseFacts("delay", Severity.MAJOR, Decimal("100"), repeat_incident=repeat)
    option = suggest(case, asker=FRONTLINE, money=format_money)[0]
    assert [line.reason for line in option.lines if line.face_value][0].startswith(said)
    assert "critical failure" not in " ".join(line.reason for o in suggest(case, asker=FRONTLINE) for line in o.lines)


# Issue 12: the defects the expert review found, each held by a test.


def test_severity_does_not_multiply_the_price():
    # A £3,000 delay the customer sat through: severity sets the least gesture, not a share of the price.
    moderate = suggest(CaseFacts("delay", Severity.MODERATE, Decimal("3000")), asker=FRONTLINE)
    major = suggest(CaseFacts("delay", Severity.MAJOR, Decimal("3000")), asker=FRONTLINE)
    gap = DEFAULT_POLICY.gesture["major"] - DEFAULT_POLICY.gesture["moderate"]
    assert first(major) - first(moderate) <= gap
    assert first(moderate) < Decimal("3000") * Decimal("0.15")  # no business pays that for a delay


def test_no_cliff_at_a_threshold():
    # £2,999.99 scores moderate, £3,000 major (cases/severity.py): the suggestions stay close.
    below = CaseFacts("delay", Severity.MODERATE, Decimal("2999.99"))
    at = CaseFacts("delay", Severity.MAJOR, Decimal("3000"))
    assert abs(first(suggest(at, asker=FRONTLINE)) - first(suggest(below, asker=FRONTLINE))) <= Decimal(2)


def test_knowing_a_valuable_customer_never_gets_them_less():
    case = CaseFacts("defective_product", Severity.MAJOR, Decimal("2000"), lost=Lost.ALL)
    unknown = suggest(case, asker=Asker(Role.OWNER))
    known = suggest(case, asker=Asker(Role.OWNER), yearly_value=Decimal("3000"))
    assert [o.compensation for o in known] >= [o.compensation for o in unknown]
    assert first(known) >= Decimal("2000")
    assert compensation_cap(case, Decimal("3000"), DEFAULT_POLICY) >= compensation_cap(case, None, DEFAULT_POLICY)


def test_a_minor_slip_fixed_on_the_spot_may_be_an_apology_and_the_fix_first():
    case = CaseFacts("product_quality", Severity.MINOR, Decimal("12"), fixed_on_spot=True)
    options = suggest(case, asker=FRONTLINE)
    assert [line.kind for line in options[0].lines] == [RemedyKind.APOLOGY]
    assert any(o.compensation > 0 for o in options[1:])  # a gesture is still there to choose


def test_a_fix_on_the_spot_does_not_make_a_moderate_case_words_alone():
    case = CaseFacts("product_quality", Severity.MODERATE, Decimal("12"), fixed_on_spot=True)
    for option in suggest(case, asker=FRONTLINE):
        assert option.compensation > 0


@pytest.mark.parametrize(
    ("case", "value"),
    [
        (CaseFacts("delay", Severity.MAJOR, Decimal("20")), None),
        (CaseFacts("product_quality", Severity.CRITICAL, Decimal("20")), None),
        (CaseFacts("delay", Severity.MODERATE, Decimal("20")), Decimal("5000")),
    ],
)
def test_serious_harm_and_valuable_customers_get_a_personal_call(case, value):
    for option in suggest(case, asker=FRONTLINE, yearly_value=value):
        assert {line.kind for line in option.lines} & {RemedyKind.MANAGER_CALL, RemedyKind.OWNER_CALL}


def without(*kinds):
    return {**DEFAULT_CATALOGUE, **{k: RemedyType(k, enabled=False) for k in kinds}}


MONEY_KINDS = [k for k, t in DEFAULT_CATALOGUE.items() if t.is_money]


@pytest.mark.parametrize("severity", [Severity.MODERATE, Severity.MAJOR])
def test_no_money_in_the_catalogue_never_means_words_alone(severity):
    case = CaseFacts("delay", severity, Decimal("40"))
    options = suggest(case, asker=FRONTLINE, catalogue=without(*MONEY_KINDS, RemedyKind.HANDWRITTEN_CARD))
    assert options
    for option in options:
        assert [line for line in option.lines if line.kind is not RemedyKind.APOLOGY]


def test_a_disabled_matched_remedy_gives_way_to_the_nearest_and_says_so():
    case = CaseFacts("defective_product", Severity.MAJOR, Decimal("200"), lost=Lost.ALL)
    option = suggest(case, asker=FRONTLINE, catalogue=without(RemedyKind.FREE_REDO))[0]
    assert option.lines[1].kind is RemedyKind.FULL_REFUND
    assert "free redo or replacement is not enabled" in option.lines[1].reason


def test_an_unknown_category_is_said_not_a_crash():
    options = suggest(CaseFacts("teleport_failure", Severity.MODERATE, Decimal("40")), asker=FRONTLINE)
    assert options
    assert "“teleport_failure” is not a category the policy knows" in options[0].lines[1].reason


@pytest.mark.parametrize("category", ["delay", "defective_product", "missed_appointment", "billing_error"])
def test_nothing_paid_means_no_refund_or_redo(category):
    case = CaseFacts(category, Severity.MAJOR, Decimal("0"), lost=Lost.ALL)
    for option in suggest(case, asker=FRONTLINE):
        assert not {line.kind for line in option.lines} & {
            RemedyKind.FULL_REFUND,
            RemedyKind.PARTIAL_REFUND,
            RemedyKind.FREE_REDO,
        }


def test_credit_worth_no_more_than_cash_does_not_say_it_is():
    from dataclasses import replace

    policy = replace(DEFAULT_POLICY, credit_multiple=Decimal(1))
    options = suggest(CaseFacts("delay", Severity.MODERATE, Decimal("40")), asker=FRONTLINE, policy=policy)
    credit = [o for o in options if o.title == "Credit for next time"][0]
    assert "worth a little more" not in credit.lines[1].reason


@pytest.mark.parametrize("severity", [Severity.MODERATE, Severity.MAJOR, Severity.CRITICAL])
def test_nothing_paid_still_gives_a_choice(severity):
    """CI's hypothesis run found it: no refund when nothing was paid, and credit capped at the
    cash, left one option where staff are promised two or three."""
    options = suggest(CaseFacts("other", severity), asker=FRONTLINE)
    assert len(options) >= 2
    assert len({tuple(line.kind for line in option.lines) for option in options}) == len(options)


@given(facts, yearly)
def test_leaving_out_the_words_changes_nothing_else(case, value):
    """The what-if replay asks without the words: every amount, approval and title is the same."""
    from dataclasses import replace

    said = suggest(case, asker=FRONTLINE, yearly_value=value)
    unsaid = suggest(case, asker=FRONTLINE, yearly_value=value, words=False)
    assert all(option.words for option in said) and not any(option.words for option in unsaid)
    assert [replace(option, words="") for option in said] == unsaid
