"""The worked examples of docs/recovery-policy.md, exactly as the page states them."""

from dataclasses import replace
from decimal import Decimal

from cases.severity import HarmFacts, Lost, assess_severity
from recovery.policy import DEFAULT_POLICY, RemedyKind, Role
from recovery.suggestions import Asker, CaseFacts, compensation_cap, suggest

FRONTLINE = Asker(Role.FRONTLINE)
K = RemedyKind


def case(category, price, hidden="0", what="", **flags):
    price, hidden = Decimal(price), Decimal(hidden)
    severity = assess_severity(HarmFacts(loss=price, hidden_costs=hidden, **flags)).severity
    return CaseFacts(category, severity, price, hidden, what, **flags)


def summary(options):
    return [
        (
            [(line.kind, line.face_value) for line in o.lines if line.kind is not K.APOLOGY],
            o.compensation,
            o.cost,
            o.approver,
        )
        for o in options
    ]


def test_a_long_wait_and_a_badly_cooked_meal():
    facts = case("delay", "64", lost=Lost.ALL)
    assert facts.severity.value == "moderate"
    assert summary(suggest(facts, asker=FRONTLINE, yearly_value=Decimal("600"))) == [
        ([(K.FULL_REFUND, Decimal("71.00"))], Decimal("71.00"), Decimal("71.00"), Role.MANAGER),
        ([(K.GIFT_CARD, Decimal("89.00"))], Decimal("89.00"), Decimal("71.20"), Role.MANAGER),
    ]


def test_a_special_order_that_never_came_and_a_call_never_made():
    facts = case("broken_promise", "45", lost=Lost.ALL, treated_poorly=True)
    assert facts.severity.value == "major"
    call = (K.MANAGER_CALL, Decimal("0.00"))
    assert summary(suggest(facts, asker=FRONTLINE, yearly_value=Decimal("300"))) == [
        ([(K.FREE_ITEM, Decimal("50.00")), call], Decimal("50.00"), Decimal("25.00"), None),
        ([(K.FULL_REFUND, Decimal("50.00")), call], Decimal("50.00"), Decimal("50.00"), None),
        ([(K.GIFT_CARD, Decimal("63.00")), call], Decimal("63.00"), Decimal("50.40"), Role.MANAGER),
    ]


def test_a_faulty_car_repair_with_a_tow_truck_and_a_missed_meeting():
    facts = case("defective_product", "380", "120", "Tow truck to the garage", lost=Lost.ALL)
    assert facts.severity.value == "major"
    tow, call = (K.REIMBURSEMENT, Decimal("120.00")), (K.MANAGER_CALL, Decimal("0.00"))
    options = suggest(facts, asker=FRONTLINE, yearly_value=Decimal("1800"))
    assert summary(options) == [
        (
            [(K.FREE_REDO, Decimal("380.00")), (K.PARTIAL_REFUND, Decimal("38.00")), tow, call],
            Decimal("538.00"),
            Decimal("348.00"),
            Role.OWNER,
        ),
        ([(K.FULL_REFUND, Decimal("418.00")), tow, call], Decimal("538.00"), Decimal("538.00"), Role.OWNER),
        ([(K.GIFT_CARD, Decimal("523.00")), tow, call], Decimal("643.00"), Decimal("538.40"), Role.OWNER),
    ]
    assert "reimburses the 120.00 the customer paid: tow truck to the garage" in options[0].lines[3].reason
    assert compensation_cap(facts, Decimal("1800"), DEFAULT_POLICY) == Decimal("750.00")


def test_a_billing_overcharge():
    facts = replace(case("billing_error", "89.50"), overcharge=Decimal("89.50"))
    assert facts.severity.value == "minor"
    correction = (K.CORRECTION, Decimal("89.50"))
    options = suggest(facts, asker=FRONTLINE, yearly_value=Decimal("900"))
    assert summary(options) == [
        ([correction, (K.PARTIAL_REFUND, Decimal("5.00"))], Decimal("5.00"), Decimal("94.50"), Role.MANAGER),
        ([correction, (K.GIFT_CARD, Decimal("5.00"))], Decimal("5.00"), Decimal("93.50"), Role.MANAGER),
    ]
    assert options[0].approval_reason == "94.50 is above your limit of 50.00"
    # A manager gives it back at once.
    assert [o.approver for o in suggest(facts, asker=Asker(Role.MANAGER), yearly_value=Decimal("900"))] == [None, None]
