"""Deadlines skip closed hours: with the policy's switch on, a case's first-contact deadline is
counted in its location's working time (issue 14); with it off, on the wall clock as before."""

import datetime
import uuid
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.selectors import overdue_q
from customers.services import CustomerDetails
from followups.plans import Purpose
from recovery.models import PolicyVersion
from tests.cases.test_services import incident
from tests.conftest import signed_in
from tests.factories import ClosedDateFactory, office_hours

LONDON = ZoneInfo("Europe/London")
SATURDAY_EVENING = datetime.datetime(2026, 12, 5, 20, 0, tzinfo=LONDON)
SUNDAY_MORNING = datetime.datetime(2026, 12, 6, 9, 0, tzinfo=LONDON)
MONDAY_1300 = datetime.datetime(2026, 12, 7, 13, 0, tzinfo=LONDON)


def count_in_working_time(on: bool = True) -> None:
    latest = PolicyVersion.objects.latest()
    PolicyVersion.objects.create(catalogue=latest.catalogue, deadlines_in_working_time=on, note="Working time")


def log_by_email(actor, location, now=SATURDAY_EVENING, channel="email") -> Case:
    case, _ = services.case_open(
        actor=actor,
        details=incident(location, channel=channel, occurred_at=now - timedelta(hours=1)),
        new_customer=CustomerDetails(name="Jane Doe", email="jane@example.com"),
        submission_token=uuid.uuid4(),
        now=now,
    )
    return case


@pytest.fixture
def weekdays(soho):
    """Soho open Monday to Friday, 09:00-17:00 London time."""
    soho.time_zone = "Europe/London"
    soho.save()
    return office_hours(soho)


def test_a_saturday_evening_email_is_due_monday_1300(frontline, weekdays):
    count_in_working_time()
    case = log_by_email(frontline, weekdays)
    assert case.sla_due_at == MONDAY_1300
    assert case.sla_in_working_time


def test_a_saturday_evening_case_is_not_overdue_on_sunday_morning(frontline, weekdays):
    count_in_working_time()
    case = log_by_email(frontline, weekdays)
    with time_machine.travel(SUNDAY_MORNING, tick=False):
        assert not Case.objects.get(pk=case.pk).is_overdue
        assert not Case.objects.filter(overdue_q(timezone.now())).exists()
    with time_machine.travel(MONDAY_1300 + timedelta(minutes=1), tick=False):
        assert Case.objects.get(pk=case.pk).is_overdue


def test_a_public_holiday_monday_moves_it_to_tuesday(frontline, weekdays):
    weekdays.holiday_country, weekdays.holiday_subdivision = "GB", "ENG"
    weekdays.save()
    count_in_working_time()
    # Monday 28 December 2026 is England's Boxing Day bank holiday (observed).
    case = log_by_email(frontline, weekdays, now=datetime.datetime(2026, 12, 26, 20, 0, tzinfo=LONDON))
    assert case.sla_due_at == datetime.datetime(2026, 12, 29, 13, 0, tzinfo=LONDON)


def test_a_closed_date_is_skipped_too(frontline, weekdays):
    ClosedDateFactory(location=weekdays, date=datetime.date(2026, 12, 7), name="Refit")
    count_in_working_time()
    assert log_by_email(frontline, weekdays).sla_due_at == MONDAY_1300 + timedelta(days=1)


def test_with_the_switch_off_the_deadline_is_on_the_wall_clock(frontline, weekdays):
    count_in_working_time(on=False)
    case = log_by_email(frontline, weekdays)
    assert case.sla_due_at == SATURDAY_EVENING + timedelta(hours=4)
    assert not case.sla_in_working_time
    with time_machine.travel(SUNDAY_MORNING, tick=False):
        assert Case.objects.get(pk=case.pk).is_overdue


def test_a_location_without_hours_keeps_the_wall_clock_with_the_switch_on(frontline, soho):
    count_in_working_time()
    case = log_by_email(frontline, soho)
    assert case.sla_due_at == SATURDAY_EVENING + timedelta(hours=4)
    assert not case.sla_in_working_time


def test_someone_at_the_counter_is_contacted_at_once_whatever_the_hours(frontline, weekdays):
    count_in_working_time()
    case = log_by_email(frontline, weekdays, channel="in_person")
    assert case.sla_due_at == SATURDAY_EVENING and case.first_contact_at == SATURDAY_EVENING


def test_the_first_contact_escalation_waits_for_the_working_time_deadline(frontline, weekdays):
    count_in_working_time()
    case = log_by_email(frontline, weekdays)
    escalation = case.followups.get(purpose=Purpose.FIRST_CONTACT_ESCALATION.value)
    assert escalation.due_at == MONDAY_1300


def test_the_case_page_says_the_deadline_is_in_working_hours(frontline, weekdays):
    count_in_working_time()
    case = log_by_email(frontline, weekdays)
    with time_machine.travel(SUNDAY_MORNING, tick=False):
        page = signed_in(frontline).get(case.get_absolute_url()).content.decode()
    assert "first contact is due Mon 7 Dec, 13:00 (working hours)" in page
    assert "First contact overdue" not in page


def test_the_case_page_reads_the_deadline_on_the_location_s_clock(frontline, weekdays, settings):
    weekdays.time_zone = "America/New_York"
    weekdays.save()
    count_in_working_time()
    # Saturday 20:00 in New York: due Monday 13:00 there, 18:00 in London.
    case = log_by_email(
        frontline, weekdays, now=datetime.datetime(2026, 12, 5, 20, 0, tzinfo=ZoneInfo("America/New_York"))
    )
    page = signed_in(frontline).get(case.get_absolute_url()).content.decode()
    assert "due Mon 7 Dec, 13:00 EST (working hours)" in page


def test_with_the_switch_off_the_page_shows_the_time_alone(frontline, weekdays):
    case = log_by_email(frontline, weekdays, now=timezone.now())
    page = signed_in(frontline).get(case.get_absolute_url()).content.decode()
    assert "(working hours)" not in page
    assert f"due {timezone.localtime(case.sla_due_at):%a %-d %b, %H:%M}" in page
