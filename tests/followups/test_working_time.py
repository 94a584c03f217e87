"""Reminders and escalations to staff run in the location's working time where the policy says so."""

import datetime
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.working_time import WorkingCalendar, opening_between, subtract_working_time
from cases import services as cases
from followups.plans import (
    Purpose,
    Timings,
    callback_reminder_at,
    plan_for_approved_remedy,
    plan_for_callback,
    plan_for_opened_case,
)
from recovery.models import PolicyVersion
from recovery.policy import delivery_due
from tests.accounts.test_working_time import calendars, instants
from tests.factories import CaseFactory, office_hours
from tests.followups.test_scheduling import offer, scheduled

LONDON = ZoneInfo("Europe/London")
OFFICE = WorkingCalendar(week=(((9 * 60, 17 * 60),),) * 5 + ((), ()), zone=LONDON)
FRIDAY_1600 = datetime.datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)
MONDAY = datetime.datetime(2026, 12, 7, 0, 0, tzinfo=LONDON)
SATURDAY_NOON = datetime.datetime(2026, 12, 5, 12, 0, tzinfo=LONDON)
QUARTER = timedelta(minutes=15)


def at_monday(hour: int, minute: int = 0) -> datetime.datetime:
    return MONDAY.replace(hour=hour, minute=minute)


# The plans (pure): given a calendar, they count in it; without, on the wall clock.


def test_a_callback_s_reminder_and_escalation_count_in_working_time():
    reminder, escalation = plan_for_callback(at_monday(9, 5), Timings(), OFFICE, now=FRIDAY_1600)
    assert reminder.due_at == FRIDAY_1600 + timedelta(minutes=50)  # 5 minutes Monday, 10 on Friday
    assert escalation.due_at == at_monday(9, 35)
    late_friday = FRIDAY_1600 + timedelta(minutes=50)
    _, escalation = plan_for_callback(late_friday, Timings(), OFFICE, now=FRIDAY_1600)
    assert escalation.due_at == at_monday(9, 20)


def test_without_a_calendar_the_plans_are_on_the_wall_clock():
    reminder, escalation = plan_for_callback(at_monday(9, 5), Timings(), now=FRIDAY_1600)
    assert (reminder.due_at, escalation.due_at) == (at_monday(8, 50), at_monday(9, 35))
    assert delivery_due(FRIDAY_1600, timedelta(hours=48)) == FRIDAY_1600 + timedelta(hours=48)


def test_the_delivery_deadline_counts_working_hours_and_the_reminder_is_at_it():
    assert delivery_due(FRIDAY_1600, timedelta(hours=4), OFFICE) == at_monday(12)
    reminder = plan_for_approved_remedy(at_monday(12))
    assert (reminder.purpose, reminder.due_at, reminder.to_managers) == (
        Purpose.DELIVERY_REMINDER,
        at_monday(12),
        False,
    )


# A callback's reminder never lands in the past (it would go at once, with nobody in).


@pytest.mark.parametrize(
    ("now", "callback", "lead", "reminded"),
    [
        # Promised on Saturday for Monday 09:05: Friday 16:50 is gone; Monday's opening, not at once.
        (SATURDAY_NOON, at_monday(9, 5), QUARTER, at_monday(9)),
        (SATURDAY_NOON, at_monday(9, 5), timedelta(hours=1), at_monday(9)),
        # 15 minutes of Monday before 09:15: the working-time reminder is still to come.
        (SATURDAY_NOON, at_monday(9, 15), QUARTER, at_monday(9)),
        (SATURDAY_NOON, at_monday(10), QUARTER, at_monday(9, 45)),
        # Friday 16:55, the reminder was due 16:50: at Monday's opening, not as everyone leaves.
        (FRIDAY_1600 + timedelta(minutes=55), at_monday(9, 5), QUARTER, at_monday(9)),
        # Open now and no opening before the callback: the wall-clock lead, else now.
        (at_monday(9, 10), at_monday(9, 20), QUARTER, at_monday(9, 10)),
        (at_monday(9, 1), at_monday(9, 20), QUARTER, at_monday(9, 5)),
        # A callback promised for Sunday, outside hours: the wall-clock lead (no opening before it).
        (SATURDAY_NOON, MONDAY - timedelta(hours=12), QUARTER, MONDAY - timedelta(hours=12, minutes=15)),
        # A callback already past: now.
        (at_monday(10), at_monday(9, 30), QUARTER, at_monday(10)),
    ],
)
def test_a_callback_reminder_that_would_be_past_is_at_the_next_opening_or_the_wall_clock_lead(
    now, callback, lead, reminded
):
    assert callback_reminder_at(callback, lead, OFFICE, now=now) == reminded
    reminder, _ = plan_for_callback(callback, Timings(callback_reminder_before=lead), OFFICE, now=now)
    assert reminder.due_at == reminded


def test_the_wall_clock_lead_wins_when_it_is_later_than_the_opening():
    # Open 09:00-09:05 and 12:00-17:00 on Monday: a 12:05 callback promised on Saturday would be
    # reminded on Friday at 16:55; 11:50 is later than Monday's first opening.
    week = (((9 * 60, 9 * 60 + 5), (12 * 60, 17 * 60)),) + (((9 * 60, 17 * 60),),) * 4 + ((), ())
    split = WorkingCalendar(week=week, zone=LONDON)
    assert subtract_working_time(split, at_monday(12, 5), QUARTER) == FRIDAY_1600 + timedelta(minutes=55)
    assert callback_reminder_at(at_monday(12, 5), QUARTER, split, now=SATURDAY_NOON) == at_monday(11, 50)


def test_on_the_wall_clock_a_past_reminder_is_now():
    assert callback_reminder_at(at_monday(9, 5), QUARTER, None, now=at_monday(9)) == at_monday(9)
    assert callback_reminder_at(at_monday(9, 5), QUARTER, None, now=SATURDAY_NOON) == at_monday(8, 50)


leads = st.integers(min_value=0, max_value=24 * 60).map(lambda m: timedelta(minutes=m))
ahead = st.integers(min_value=-2 * 24 * 60, max_value=5 * 24 * 60).map(lambda m: timedelta(minutes=m))


@settings(max_examples=150, deadline=None)
@given(calendars(), instants, ahead, leads)
def test_a_callback_reminder_is_never_in_the_past_nor_after_a_callback_to_come(calendar, now, ahead, lead):
    callback = now + ahead
    reminded = callback_reminder_at(callback, lead, calendar, now=now)
    assert reminded >= now
    if callback >= now:
        assert reminded <= callback
    in_working_time = subtract_working_time(calendar, callback, lead)
    if in_working_time >= now:
        # Still to come: exactly the working-time reminder, as before.
        assert reminded == in_working_time
    else:
        # Else the latest of now, the wall-clock lead and the next opening before the callback.
        assert reminded >= callback - lead
        opening = opening_between(calendar, now, callback)
        if opening is not None and opening < callback:
            assert reminded >= opening
        assert reminded in {now, callback - lead, opening}


@settings(max_examples=100, deadline=None)
@given(instants, ahead, leads)
def test_on_the_wall_clock_the_reminder_is_the_lead_before_or_now(now, ahead, lead):
    assert callback_reminder_at(now + ahead, lead, None, now=now) == max(now + ahead - lead, now)


def test_the_first_contact_escalation_is_at_the_case_s_deadline():
    planned = plan_for_opened_case(
        promised_callback_at=None, first_contact_at=None, sla_due_at=at_monday(13), calendar=OFFICE, now=FRIDAY_1600
    )
    assert [(p.purpose, p.due_at) for p in planned] == [(Purpose.FIRST_CONTACT_ESCALATION, at_monday(13))]


# Scheduling (the database): the policy's switch and the location's rows.


def policy(on: bool, **values) -> None:
    latest = PolicyVersion.objects.latest()
    PolicyVersion.objects.create(catalogue=latest.catalogue, deadlines_in_working_time=on, note="test", **values)


@pytest.fixture
def case(soho, frontline):
    soho.time_zone = "Europe/London"
    soho.save()
    office_hours(soho)
    return CaseFactory(location=soho, created_by=frontline, order_value=Decimal("20"), lost="all")


@pytest.mark.parametrize(
    ("on", "reminded", "escalated"), [(True, "Fri 16:50", "Mon 09:35"), (False, "Mon 08:50", "Mon 09:35")]
)
def test_a_promised_callback_is_timed_by_the_policy_s_switch(case, frontline, on, reminded, escalated):
    policy(on)
    with time_machine.travel(FRIDAY_1600 - timedelta(hours=2), tick=False):
        cases.case_promise_callback(case=case, actor=frontline, at=at_monday(9, 5))
    plan = scheduled(case)
    local = {purpose: plan[purpose].due_at.astimezone(LONDON).strftime("%a %H:%M") for purpose in plan}
    assert local[Purpose.CALLBACK_REMINDER] == reminded
    assert local[Purpose.CALLBACK_ESCALATION] == escalated


def test_a_callback_promised_on_saturday_for_monday_s_opening_is_reminded_at_the_opening_not_at_once(case, frontline):
    policy(True)
    with time_machine.travel(SATURDAY_NOON, tick=False):
        cases.case_promise_callback(case=case, actor=frontline, at=at_monday(9, 5))
    reminder = scheduled(case)[Purpose.CALLBACK_REMINDER]
    assert reminder.due_at == at_monday(9)  # Friday 16:50 had gone: not sent on Saturday
    assert reminder.due_at > SATURDAY_NOON


@pytest.mark.parametrize(("on", "due"), [(True, at_monday(12)), (False, FRIDAY_1600 + timedelta(hours=4))])
def test_an_approved_remedy_s_reminder_is_timed_by_the_policy_s_switch(case, frontline, on, due):
    policy(on, remedy_delivery_hours=4)
    with time_machine.travel(FRIDAY_1600, tick=False):
        proposal = offer(case, frontline)
    # The deadline the approval stored is the reminder's (and the dashboard's).
    assert scheduled(case)[Purpose.DELIVERY_REMINDER].due_at == proposal.deliver_by == due
