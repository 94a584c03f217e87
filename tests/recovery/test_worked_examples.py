"""The worked examples of docs/recovery-policy.md, exactly as the page states them."""

from dataclasses import replace
from decimal import Decimal

from cases.severity import HarmFacts, Lost, assess_severity
from core.money import format_money
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
    facts = case("delay", "64", lost=Lost.ALL, time_lost_minutes=50)
    assert facts.severity.value == "moderate"
    options = suggest(facts, asker=FRONTLINE, yearly_value=Decimal("600"), money=format_money)
    assert summary(options) == [
        ([(K.FULL_REFUND, Decimal("79.00"))], Decimal("79.00"), Decimal("79.00"), Role.MANAGER),
        ([(K.GIFT_CARD, Decimal("99.00"))], Decimal("99.00"), Decimal("79.20"), Role.MANAGER),
    ]
    assert options[0].words == (
        "I am sorry: we kept you waiting. You did not get what you paid for, and it cost you 50 minutes of your"
        " time. We are refunding you in full, £79.00, today."
    )


def test_a_birthday_cake_not_ready_and_a_call_never_made():
    facts = case("broken_promise", "45", lost=Lost.ALL, occasion_mattered=True, treated_poorly=True)
    assert facts.severity.value == "critical"
    personal = [(K.OWNER_CALL, Decimal("0.00")), (K.HANDWRITTEN_CARD, Decimal("0.00"))]
    assert summary(suggest(facts, asker=FRONTLINE, yearly_value=Decimal("300"))) == [
        ([(K.FREE_ITEM, Decimal("54.00")), *personal], Decimal("54.00"), Decimal("27.00"), Role.MANAGER),
        ([(K.FULL_REFUND, Decimal("54.00")), *personal], Decimal("54.00"), Decimal("54.00"), Role.MANAGER),
        ([(K.GIFT_CARD, Decimal("67.50")), *personal], Decimal("67.50"), Decimal("54.00"), Role.MANAGER),
    ]
    assert compensation_cap(facts, Decimal("300"), DEFAULT_POLICY) == Decimal("67.50")


def test_a_faulty_car_repair_with_a_tow_truck_and_a_missed_meeting():
    facts = case("defective_product", "380", "120", "Tow truck to the garage", lost=Lost.ALL, time_lost_minutes=90)
    assert facts.severity.value == "major"
    tow, call = (K.REIMBURSEMENT, Decimal("120.00")), (K.MANAGER_CALL, Decimal("0.00"))
    options = suggest(facts, asker=FRONTLINE, yearly_value=Decimal("1800"))
    assert summary(options) == [
        (
            [(K.FREE_REDO, Decimal("380.00")), (K.PARTIAL_REFUND, Decimal("53.00")), tow, call],
            Decimal("553.00"),
            Decimal("363.00"),
            Role.OWNER,
        ),
        ([(K.FULL_REFUND, Decimal("433.00")), tow, call], Decimal("553.00"), Decimal("553.00"), Role.OWNER),
        ([(K.GIFT_CARD, Decimal("542.00")), tow, call], Decimal("662.00"), Decimal("553.60"), Role.OWNER),
    ]
    assert "reimburses the 120.00 the customer paid: tow truck to the garage" in options[0].lines[3].reason
    assert compensation_cap(facts, Decimal("1800"), DEFAULT_POLICY) == Decimal("772.50")


def test_half_a_takeaway_missing():
    facts = case("product_quality", "60", lost=Lost.PART)
    assert facts.severity.value == "moderate"
    assert summary(suggest(facts, asker=FRONTLINE)) == [
        ([(K.FREE_REDO, Decimal("33.00"))], Decimal("33.00"), Decimal("16.50"), None),
        ([(K.PARTIAL_REFUND, Decimal("33.00"))], Decimal("33.00"), Decimal("33.00"), None),
        ([(K.GIFT_CARD, Decimal("42.00"))], Decimal("42.00"), Decimal("33.60"), None),
    ]


def test_a_third_delay_in_a_quarter():
    first = case("delay", "30", lost=Lost.USED)
    third = replace(case("delay", "30", lost=Lost.USED, repeat_incident=True), earlier_recoveries=2)
    assert (first.severity.value, third.severity.value) == ("minor", "moderate")
    assert summary(suggest(first, asker=FRONTLINE)) == [
        ([(K.PARTIAL_REFUND, Decimal("8.25"))], Decimal("8.25"), Decimal("8.25"), None),
        ([(K.GIFT_CARD, Decimal("11.00"))], Decimal("11.00"), Decimal("8.80"), None),
    ]
    call = (K.OWNER_CALL, Decimal("0.00"))
    options = suggest(third, asker=FRONTLINE)
    assert summary(options) == [
        ([(K.PARTIAL_REFUND, Decimal("10.00")), call], Decimal("10.00"), Decimal("10.00"), None),
        ([(K.GIFT_CARD, Decimal("13.00")), call], Decimal("13.00"), Decimal("10.40"), None),
    ]
    assert "this is the third time in three months" in options[0].words
    assert "link a corrective action on this case to fix the cause" in options[0].lines[-1].reason


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
