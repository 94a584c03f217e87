"""Reminders and escalations to staff run in the location's working time where the policy says so."""

import datetime
from datetime import timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.working_time import WorkingCalendar
from cases import services as cases
from followups.plans import Purpose, Timings, plan_for_approved_remedy, plan_for_callback, plan_for_opened_case
from recovery.models import PolicyVersion
from tests.factories import CaseFactory, office_hours
from tests.followups.test_scheduling import offer, scheduled

LONDON = ZoneInfo("Europe/London")
OFFICE = WorkingCalendar(week=(((9 * 60, 17 * 60),),) * 5 + ((), ()), zone=LONDON)
FRIDAY_1600 = datetime.datetime(2026, 12, 4, 16, 0, tzinfo=LONDON)
MONDAY = datetime.datetime(2026, 12, 7, 0, 0, tzinfo=LONDON)


def at_monday(hour: int, minute: int = 0) -> datetime.datetime:
    return MONDAY.replace(hour=hour, minute=minute)


# The plans (pure): given a calendar, they count in it; without, on the wall clock.


def test_a_callback_s_reminder_and_escalation_count_in_working_time():
    reminder, escalation = plan_for_callback(at_monday(9, 5), Timings(), OFFICE)
    assert reminder.due_at == FRIDAY_1600 + timedelta(minutes=50)  # 5 minutes Monday, 10 on Friday
    assert escalation.due_at == at_monday(9, 35)
    late_friday = FRIDAY_1600 + timedelta(minutes=50)
    _, escalation = plan_for_callback(late_friday, Timings(), OFFICE)
    assert escalation.due_at == at_monday(9, 20)


def test_without_a_calendar_the_plans_are_on_the_wall_clock():
    reminder, escalation = plan_for_callback(at_monday(9, 5), Timings())
    assert (reminder.due_at, escalation.due_at) == (at_monday(8, 50), at_monday(9, 35))
    assert plan_for_approved_remedy(FRIDAY_1600, Timings()).due_at == FRIDAY_1600 + timedelta(hours=48)


def test_the_delivery_reminder_counts_working_hours():
    timings = Timings(remedy_delivery_within=timedelta(hours=4))
    assert plan_for_approved_remedy(FRIDAY_1600, timings, OFFICE).due_at == at_monday(12)


def test_the_first_contact_escalation_is_at_the_case_s_deadline():
    planned = plan_for_opened_case(
        promised_callback_at=None, first_contact_at=None, sla_due_at=at_monday(13), calendar=OFFICE
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


@pytest.mark.parametrize(("on", "due"), [(True, at_monday(12)), (False, FRIDAY_1600 + timedelta(hours=4))])
def test_an_approved_remedy_s_reminder_is_timed_by_the_policy_s_switch(case, frontline, on, due):
    policy(on, remedy_delivery_hours=4)
    with time_machine.travel(FRIDAY_1600, tick=False):
        offer(case, frontline)
    assert scheduled(case)[Purpose.DELIVERY_REMINDER].due_at == due
