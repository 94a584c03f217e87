"""The policy takes only values it can use, says what each one means, and reads an old version
within its limits (issue 11: 2147483647 days was accepted, then every close and approval failed)."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from cases import services as cases
from cases.states import Outcome, State
from followups.plans import Purpose
from recovery import services as recovery
from recovery.forms import POLICY_FIELDS, REMEDY_TWICE, UNKNOWN_REMEDY, PolicyForm
from recovery.models import PolicyVersion
from recovery.policy import BOUNDS, RemedyKind, within_bounds
from tests.conftest import signed_in
from tests.factories import CaseFactory
from tests.recovery.test_views import policy_post

HUGE = "2147483647"


@pytest.mark.django_db
# Values the policy page edits (the engine's newest values are bounded before the page shows them).
@pytest.mark.parametrize("name", list(BOUNDS))
def test_the_policy_form_refuses_a_value_past_its_limits(name):
    low, high = BOUNDS[name]
    initial = PolicyForm(instance=PolicyVersion.objects.latest()).initial
    for value in (low - 1, high + 1):
        data = {**{key: "" if v is None else v for key, v in initial.items()}, "note": "x", name: str(value)}
        form = PolicyForm(data, instance=PolicyVersion())
        assert not form.is_valid()
        assert list(form.errors) == [name]


@pytest.mark.parametrize("name", ["satisfaction_check_days", "callback_escalation_minutes", "remedy_delivery_hours"])
def test_the_policy_page_refuses_a_clock_of_billions(owner, name):
    response = policy_post(signed_in(owner), **{name: HUGE})
    assert response.status_code == 400
    assert "At most" in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_the_policy_page_takes_values_at_its_limits(owner):
    response = policy_post(signed_in(owner), satisfaction_check_days="90", credit_multiple="3", generosity="0.5")
    assert response.status_code == 302
    assert PolicyVersion.objects.latest().satisfaction_check_days == 90


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"remedy-0-kind": "pony"}, UNKNOWN_REMEDY),
        ({"remedy-0-kind": ""}, UNKNOWN_REMEDY),
        ({"remedy-0-kind": "correction"}, UNKNOWN_REMEDY),
        ({"remedy-1-kind": "apology", "remedy-0-kind": "apology"}, REMEDY_TWICE),
    ],
)
def test_the_policy_page_refuses_an_unknown_or_missing_remedy(owner, changes, message):
    response = policy_post(signed_in(owner), **changes)
    assert response.status_code == 400
    assert str(message) in response.content.decode()
    assert PolicyVersion.objects.count() == 1


@pytest.mark.django_db
def test_every_policy_value_has_plain_words_and_a_line_of_help():
    form = PolicyForm()
    grouped = {field.name: group for group in form.groups for field in group["fields"]}
    for name in POLICY_FIELDS:
        if name == "note":
            continue
        field = form.fields[name]
        if name in grouped:  # by severity: the group says what, once; each says which severity
            assert field.label in ("Minor", "Moderate", "Major", "Critical"), name
            assert len(grouped[name]["help"]) > 20 and grouped[name]["heading"], name
        else:
            assert field.label.lower() != name.replace("_", " "), name
            assert len(field.help_text) > 20, name
    assert form.fields["max_multiple_of_base"].label == "Most compensation, as a multiple of the loss"
    assert form.fields["credit_multiple"].label == "Credit instead of money, as a multiple"


def test_the_policy_page_shows_the_help(owner):
    page = signed_in(owner).get(reverse("recovery:policy")).content.decode()
    assert "Most compensation, as a multiple of the loss" in page
    assert "1.25 turns £10 into £12.50 of credit" in page
    assert page.count("The least a remedy gives beyond words at this severity") == 1
    assert "Least gesture, by severity" in page
    assert "A typical customer spends a year" in page and "An hour of the customer&#x27;s time is worth" in page


def test_a_value_stored_before_the_limits_is_read_at_the_nearest_one():
    assert within_bounds("satisfaction_check_days", 2147483647) == 90
    assert within_bounds("credit_multiple", Decimal("0.10")) == Decimal(1)
    assert within_bounds("owner_limit", None) is None


def old_wild_policy():
    """A version saved before the limits were checked: the database takes it."""
    return PolicyVersion.objects.create(
        catalogue=PolicyVersion.objects.latest().catalogue,
        satisfaction_check_days=2147483647,
        remedy_delivery_hours=2147483647,
        callback_escalation_minutes=2147483647,
        callback_reminder_minutes=2147483647,
        max_multiple_of_base=Decimal("99.99"),
        note="from before the limits",
    )


def test_closing_a_case_under_a_wild_stored_policy_still_works(soho, frontline):
    old_wild_policy()
    case = CaseFactory(location=soho, created_by=frontline, order_value=Decimal("20"))
    closed = cases.case_transition(case=case, actor=frontline, to_state=State.CLOSED, outcome=Outcome.RETAINED)
    check = case.followups.get(purpose=Purpose.SATISFACTION_CHECK)
    assert check.due_at == closed.closed_at + timedelta(days=90)


def test_approving_under_a_wild_stored_policy_still_works(soho, frontline):
    old_wild_policy()
    case = CaseFactory(location=soho, created_by=frontline, order_value=Decimal("20"), lost="all")
    lines = [recovery.LineInput(RemedyKind.PARTIAL_REFUND, Decimal("20"), "Part of the bill back.")]
    proposal, _ = recovery.proposal_create(
        case=case, actor=frontline, lines=lines, title="Refund", submission_token=uuid.uuid4(), below_floor_reason="x"
    )
    assert proposal.state == proposal.State.APPROVED
    reminder = case.followups.get(purpose=Purpose.DELIVERY_REMINDER)
    assert reminder.due_at - proposal.proposed_at <= timedelta(hours=30 * 24, seconds=5)


def test_the_case_and_policy_pages_open_under_a_wild_stored_policy(soho, frontline, owner):
    old_wild_policy()
    case = CaseFactory(location=soho, created_by=frontline)
    assert signed_in(frontline).get(case.get_absolute_url()).status_code == 200
    page = signed_in(owner).get(reverse("recovery:policy"))
    assert page.status_code == 200
    assert page.context["form"]["satisfaction_check_days"].value() == 90
