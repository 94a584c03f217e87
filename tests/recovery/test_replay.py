"""The what-if replay's rules (recovery/replay.py): pure, no database."""

from dataclasses import replace
from decimal import Decimal

from cases.severity import Lost, Severity
from recovery.policy import DEFAULT_CATALOGUE, DEFAULT_POLICY, RemedyKind, Role
from recovery.replay import ALL, Location, ReplayCase, Rules, replay, words_only_from_moderate
from recovery.suggestions import Asker, CaseFacts, Line, Option, suggest

RULES = Rules(DEFAULT_POLICY, DEFAULT_CATALOGUE, Decimal(2000))
SOHO, CAMDEN = 1, 2
LOCATIONS = {SOHO: Location("Soho"), CAMDEN: Location("Camden")}


def case(case_id, *, location=SOHO, month="2026-03", given="0", yearly_value=None, **facts) -> ReplayCase:
    facts = {"category": "delay", "severity": Severity.MODERATE, "order_value": Decimal(40), **facts}
    return ReplayCase(case_id, location, month, CaseFacts(**facts), yearly_value, Decimal(given))


def first_compensation(replayed: ReplayCase, rules: Rules = RULES) -> Decimal:
    options = suggest(
        replayed.facts, asker=Asker(Role.FRONTLINE), yearly_value=replayed.yearly_value, policy=rules.policy
    )
    return options[0].compensation


def test_a_replay_weighs_each_case_s_first_suggestion_against_what_was_approved():
    cases = [case(1, given="5"), case(2, given="100"), case(3, location=CAMDEN, given="0")]
    result = replay(cases, {"draft": RULES}, LOCATIONS)
    suggested = [first_compensation(c) for c in cases]
    summary = result[ALL]["draft"]
    assert summary["cases"] == 3
    assert Decimal(summary["compensation"]) == sum(suggested)
    assert Decimal(summary["given"]) == Decimal(105)
    assert Decimal(summary["difference"]["total"]) == sum(suggested) - 105
    differences = sorted(s - c.given for s, c in zip(suggested, cases, strict=True))
    assert Decimal(summary["difference"]["median"]) == differences[1]
    assert (summary["difference"]["more"], summary["difference"]["less"]) == (round(2 / 3, 4), round(1 / 3, 4))
    # Largest first (by size, more or less), each naming its case.
    by_size = sorted(zip(suggested, cases, strict=True), key=lambda sc: abs(sc[0] - sc[1].given), reverse=True)
    assert [row["case_id"] for row in summary["largest"]] == [c.case_id for _, c in by_size]
    assert summary["largest"][0]["difference"] == str(by_size[0][0] - by_size[0][1].given)


def test_only_the_ten_largest_differences_are_listed():
    cases = [case(n, given=str(100 + n)) for n in range(1, 31)]
    largest = replay(cases, {"draft": RULES}, LOCATIONS)[ALL]["draft"]["largest"]
    assert [row["case_id"] for row in largest] == list(range(30, 20, -1))  # suggested alike, given the most


def test_each_location_has_its_own_figures_and_name():
    result = replay([case(1), case(2, location=CAMDEN), case(3, location=CAMDEN)], {"draft": RULES}, LOCATIONS)
    assert list(result) == [ALL, "1", "2"]
    assert (result["1"]["name"], result["1"]["draft"]["cases"]) == ("Soho", 1)
    assert (result["2"]["name"], result["2"]["draft"]["cases"]) == ("Camden", 2)


def test_a_more_generous_draft_costs_more_than_the_policy_in_force_on_the_same_cases():
    generous = Rules(replace(DEFAULT_POLICY, generosity=Decimal("1.5")), DEFAULT_CATALOGUE, Decimal(2000))
    cases = [case(n, lost=Lost.ALL, order_value=Decimal(30 + n)) for n in range(1, 6)]
    result = replay(cases, {"draft": generous, "in_force": RULES}, LOCATIONS)[ALL]
    assert Decimal(result["draft"]["compensation"]) > Decimal(result["in_force"]["compensation"])
    assert result["draft"]["cases"] == result["in_force"]["cases"] == 5


def test_the_months_over_budget_are_counted_per_location_and_month():
    tight = Rules(DEFAULT_POLICY, DEFAULT_CATALOGUE, Decimal(20))
    cases = [
        case(1, month="2026-03", lost=Lost.ALL),
        case(2, month="2026-03", lost=Lost.ALL),
        case(3, month="2026-04", order_value=Decimal(0), severity=Severity.MINOR),
    ]
    locations = {SOHO: Location("Soho")}
    over = replay(cases, {"draft": tight}, locations)["1"]["draft"]["months_over"]
    assert [(m["location"], m["month"], m["budget"]) for m in over] == [("Soho", "2026-03", "20")]
    # A location's own budget stands instead of the policy's.
    roomy = {SOHO: Location("Soho", monthly_budget=Decimal(100_000))}
    assert replay(cases, {"draft": tight}, roomy)["1"]["draft"]["months_over"] == []


def test_past_the_month_s_budget_an_owner_approves_the_next_cases_of_that_month():
    # Each spoiled £40 delay costs its first option's cost; with a budget of about one case,
    # the second case of March needs an owner; April starts afresh.
    one_case = suggest(case(1, lost=Lost.ALL).facts, asker=Asker(Role.FRONTLINE))[0].cost
    rules = Rules(replace(DEFAULT_POLICY), DEFAULT_CATALOGUE, one_case)
    cases = [case(n, month=month, lost=Lost.ALL) for n, month in [(1, "03"), (2, "03"), (3, "04")]]
    summary = replay(cases, {"draft": rules}, LOCATIONS)[ALL]["draft"]
    assert summary["approvals"]["Owner"] == 1


def test_above_the_frontline_limit_a_manager_approves():
    summary = replay([case(1, order_value=Decimal(300), lost=Lost.ALL)], {"draft": RULES}, LOCATIONS)
    assert summary[ALL]["draft"]["approvals"] == {"Manager": 1, "Owner": 0}


def test_the_engine_offers_no_apology_alone_from_moderate_up_even_with_money_remedies_disabled():
    money_off = {kind: replace(t, enabled=not t.is_money) for kind, t in DEFAULT_CATALOGUE.items()}
    rules = Rules(DEFAULT_POLICY, money_off, Decimal(2000))
    cases = [case(n, severity=severity) for n, severity in enumerate(Severity, start=1)]
    assert replay(cases, {"draft": rules}, LOCATIONS)[ALL]["draft"]["words_only"] == 0


def option(*kinds: RemedyKind) -> Option:
    lines = tuple(Line(kind, Decimal(0), Decimal(0), "") for kind in kinds)
    return Option(1, "", lines, False, None, "", 1)


def test_an_apology_alone_counts_from_moderate_up_and_a_correction_does_not_make_it_more():
    moderate = CaseFacts("billing_error", Severity.MODERATE)
    assert words_only_from_moderate(moderate, [option(RemedyKind.APOLOGY, RemedyKind.CORRECTION)])
    assert not words_only_from_moderate(moderate, [option(RemedyKind.APOLOGY, RemedyKind.MANAGER_CALL)])
    assert not words_only_from_moderate(replace(moderate, severity=Severity.MINOR), [option(RemedyKind.APOLOGY)])


def test_no_cases_give_an_empty_replay():
    assert replay([], {"draft": RULES}, LOCATIONS) == {}
