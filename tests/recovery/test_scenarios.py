"""Expert scenarios (issue 12): what a service-recovery expert would sign off, not exact amounts.

Each case is logged as the case form would log it (the severity the facts suggest), asked by a
frontline member of staff, and held to the properties an expert checks for that story. Every
scenario is also held to the rules every recovery keeps (`test_every_scenario_keeps_the_rules`)."""

from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from cases.severity import HarmFacts, Severity, assess_severity
from recovery.policy import DEFAULT_POLICY, RemedyKind, Role
from recovery.suggestions import FAILURE_REMEDY, Asker, CaseFacts, compensation_cap, suggest

K = RemedyKind
CALLS = {K.MANAGER_CALL, K.OWNER_CALL}
NEEDS_PAYMENT = {K.FULL_REFUND, K.PARTIAL_REFUND, K.FREE_REDO}


@dataclass(frozen=True)
class Scenario:
    name: str
    category: str
    price: str = "0"
    hidden: str = "0"
    what: str = ""
    value: str | None = None
    overcharge: str = "0"
    flags: dict = field(default_factory=dict)

    def facts(self) -> CaseFacts:
        price, hidden = Decimal(self.price), Decimal(self.hidden)
        harm = {k: v for k, v in self.flags.items() if k != "fixed_on_spot"}
        severity = assess_severity(HarmFacts(loss=price, hidden_costs=hidden, **harm)).severity
        return CaseFacts(
            self.category, severity, price, hidden, self.what, overcharge=Decimal(self.overcharge), **self.flags
        )

    @property
    def yearly_value(self) -> Decimal | None:
        return Decimal(self.value) if self.value is not None else None

    def options(self):
        return suggest(self.facts(), asker=Asker(Role.FRONTLINE), yearly_value=self.yearly_value)


def kinds(option) -> set:
    return {line.kind for line in option.lines}


def money_for_failure(option) -> Decimal:
    """Compensation apart from reimbursing the customer's own costs."""
    return sum((ln.face_value for ln in option.lines if ln.kind not in {K.CORRECTION, K.REIMBURSEMENT}), Decimal(0))


SCENARIOS = {
    "coffee_remade_at_once": Scenario(
        "Cold coffee, remade at once", "product_quality", "4.50", flags={"fixed_on_spot": True}
    ),
    "wrong_side_swapped": Scenario(
        "Wrong side dish, swapped at the table", "product_quality", "12", flags={"fixed_on_spot": True}
    ),
    "double_charge": Scenario("Charged twice on the card machine", "billing_error", "89.50", overcharge="89.50"),
    "small_overcharge": Scenario("A drink charged that was never ordered", "billing_error", "40", overcharge="3.20"),
    "short_wait_lunch": Scenario("A 20-minute wait for a 30 lunch", "delay", "30"),
    "catering_late": Scenario("Catering for 3,000 arrived 40 minutes late, eaten", "delay", "3000"),
    "anniversary_ruined": Scenario(
        "Anniversary dinner ruined by an hour's wait", "delay", "120", flags={"experience_ruined": True}
    ),
    "botched_haircut": Scenario("A botched haircut", "product_quality", "45", flags={"experience_ruined": True}),
    "car_repair_tow": Scenario(
        "A car repair failed on the motorway",
        "defective_product",
        "380",
        "120",
        "tow truck",
        "1800",
        flags={"experience_ruined": True},
    ),
    "laptop_data_lost": Scenario(
        "A laptop repair lost the customer's files and staff shrugged",
        "defective_product",
        "900",
        "200",
        "data recovery service",
        flags={"experience_ruined": True, "treated_poorly": True},
    ),
    "rude_waiter": Scenario(
        "A waiter rude to a customer over a 25 meal", "staff_conduct", "25", flags={"treated_poorly": True}
    ),
    "rude_to_regular": Scenario(
        "A regular worth 4,000 a year spoken to rudely",
        "staff_conduct",
        "60",
        value="4000",
        flags={"treated_poorly": True},
    ),
    "birthday_cake": Scenario(
        "A birthday cake not ready and the promised call never made",
        "broken_promise",
        "45",
        flags={"experience_ruined": True, "treated_poorly": True},
    ),
    "missed_fitting_day_off": Scenario(
        "A missed fitting; the customer had taken unpaid leave",
        "missed_appointment",
        "80",
        "90",
        "a day's unpaid leave",
        flags={"experience_ruined": True},
    ),
    "missed_free_consultation": Scenario(
        "A free consultation missed", "missed_appointment", "0", flags={"experience_ruined": True}
    ),
    "second_delay": Scenario("A 30 delay, the second within a month", "delay", "30", flags={"repeat_incident": True}),
    "third_failure_valued": Scenario(
        "A third failure for a customer worth 6,000 a year, badly handled",
        "product_quality",
        "500",
        value="6000",
        flags={"experience_ruined": True, "treated_poorly": True, "repeat_incident": True},
    ),
    "coat_damaged": Scenario("A coat stained in the cloakroom", "other", "0", "150", "dry cleaning"),
    "valued_minor_slip": Scenario("A 15 delay for a customer worth 5,000 a year", "delay", "15", value="5000"),
    "allergy_sandwich": Scenario(
        "An 8 sandwich with the allergen the customer asked about, dismissed at the counter",
        "product_quality",
        "8",
        flags={"experience_ruined": True, "treated_poorly": True},
    ),
    "scratched_sofa": Scenario("A 1,200 sofa delivered scratched, kept", "defective_product", "1200"),
    "unknown_value_repair": Scenario(
        "A 2,000 repair ruined, yearly value unknown", "defective_product", "2000", flags={"experience_ruined": True}
    ),
}


def check(name, options, facts, value):
    """What the expert signs off for each scenario (amounts in bounds, never exact)."""
    first, rest = options[0], options[1:]
    price = facts.order_value
    match name:
        case "coffee_remade_at_once" | "wrong_side_swapped":
            assert kinds(first) == {K.APOLOGY}, "the apology and the fix come first"
            assert all(o.compensation <= price for o in rest), "a gesture, not a payout"
        case "double_charge" | "small_overcharge":
            for o in options:
                assert [ln.face_value for ln in o.lines if ln.kind is K.CORRECTION] == [facts.overcharge]
                assert Decimal(5) <= o.compensation <= Decimal(10), "a small gesture for the trouble"
        case "short_wait_lunch":
            assert Decimal(1) <= first.compensation <= price / 2
        case "catering_late":
            assert DEFAULT_POLICY.gesture["major"] <= first.compensation <= price * Decimal("0.15")
            assert all(kinds(o) & CALLS for o in options), "serious harm: the manager calls"
        case "anniversary_ruined" | "botched_haircut":
            assert price * Decimal("0.6") <= first.compensation <= price * Decimal("1.2")
            if name == "botched_haircut":
                assert K.FREE_REDO in kinds(first), "a failed service is redone first"
        case "car_repair_tow" | "missed_fitting_day_off" | "coat_damaged":
            for o in options:
                assert [ln.face_value for ln in o.lines if ln.kind is K.REIMBURSEMENT] == [facts.hidden_costs]
            if name == "missed_fitting_day_off":
                assert K.FREE_REDO in kinds(first)
        case "laptop_data_lost":
            assert all(K.OWNER_CALL in kinds(o) and K.HANDWRITTEN_CARD in kinds(o) for o in options)
            assert all(money_for_failure(o) >= price for o in options), "they did not get what they paid for"
        case "rude_waiter" | "rude_to_regular" | "birthday_cake":
            assert all(kinds(o) & CALLS for o in options), "poor treatment: a personal call"
            if name == "rude_to_regular":
                unknown = suggest(facts, asker=Asker(Role.FRONTLINE))
                assert first.compensation >= unknown[0].compensation, "knowing them never costs them"
        case "missed_free_consultation":
            assert all(not kinds(o) & NEEDS_PAYMENT for o in options), "nothing paid: nothing to give back"
            assert all(o.compensation > 0 or kinds(o) & CALLS for o in options)
        case "second_delay" | "third_failure_valued":
            assert all(K.OWNER_CALL in kinds(o) for o in options), "it happened again: someone more senior"
            once = suggest(
                CaseFacts(**{**facts.__dict__, "repeat_incident": False}),
                asker=Asker(Role.FRONTLINE),
                yearly_value=value,
            )
            assert [o.compensation for o in options] == [o.compensation for o in once], "a repeat counts once"
        case "valued_minor_slip":
            assert all(kinds(o) & CALLS for o in options), "a valued customer: the manager calls"
            assert first.compensation <= price
        case "allergy_sandwich":
            assert first.compensation >= DEFAULT_POLICY.gesture[facts.severity.value] > price, "never pennies"
            assert all(kinds(o) & CALLS for o in options)
        case "scratched_sofa":
            assert DEFAULT_POLICY.gesture[facts.severity.value] <= first.compensation <= price * Decimal("0.4")
            assert first.compensation >= Decimal(50)
        case "unknown_value_repair":
            assert first.compensation >= price, "never below the loss"
            known = suggest(facts, asker=Asker(Role.FRONTLINE), yearly_value=Decimal("3000"))
            assert known[0].compensation >= first.compensation


@pytest.mark.parametrize("name", SCENARIOS)
def test_an_expert_signs_off(name):
    scenario = SCENARIOS[name]
    check(name, scenario.options(), scenario.facts(), scenario.yearly_value)


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_keeps_the_rules(name):
    scenario = SCENARIOS[name]
    facts, options = scenario.facts(), scenario.options()
    value = scenario.yearly_value
    assert 2 <= len(options) <= 3
    for option in options:
        assert option.lines[0].kind is K.APOLOGY
        assert option.compensation <= compensation_cap(facts, value, DEFAULT_POLICY)
        if facts.severity >= Severity.MODERATE:
            assert kinds(option) - {K.APOLOGY}, "from moderate up, never words alone"
        if facts.order_value == 0 and facts.overcharge == 0:
            assert not kinds(option) & NEEDS_PAYMENT


def test_the_scenarios_cover_every_category_and_severity():
    facts = [s.facts() for s in SCENARIOS.values()]
    assert {f.category for f in facts} == set(FAILURE_REMEDY)
    assert {f.severity for f in facts} == set(Severity)
