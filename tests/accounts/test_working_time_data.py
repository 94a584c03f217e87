"""A location's working time as stored: the calendar its rows make, and the rules an owner edits it by."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import CLOSES_BEFORE_OPENS, UNKNOWN_COUNTRY, UNKNOWN_TIME_ZONE, OpeningHours
from accounts.selectors import location_calendar, location_calendars
from accounts.working_time import MINUTES_A_DAY
from tests.conftest import signed_in
from tests.factories import ClosedDateFactory, LocationFactory, OpeningHoursFactory, office_hours

LONDON = ZoneInfo("Europe/London")
SATURDAY_EVENING = datetime.datetime(2026, 12, 5, 20, 0, tzinfo=LONDON)


def test_a_location_without_hours_is_open_round_the_clock_on_the_settings_clock(soho, settings):
    settings.TIME_ZONE = "Europe/Dublin"
    calendar = location_calendar(soho.pk)
    assert calendar.is_always_open
    assert calendar.zone == ZoneInfo("Europe/Dublin")
    assert calendar.add(SATURDAY_EVENING, timedelta(hours=4)) == SATURDAY_EVENING + timedelta(hours=4)


def test_the_calendar_reads_hours_closed_dates_holidays_and_zone(soho):
    office_hours(soho)
    OpeningHoursFactory(location=soho, weekday=OpeningHours.Weekday.SATURDAY, opens="10:00", closes="00:00")
    ClosedDateFactory(location=soho, date=datetime.date(2026, 12, 7))
    soho.time_zone, soho.holiday_country, soho.holiday_subdivision = "America/New_York", "GB", "ENG"
    soho.save()
    calendar = location_calendar(soho.pk)
    assert calendar.zone == ZoneInfo("America/New_York")
    assert calendar.week[0] == ((9 * 60, 17 * 60),) and calendar.week[6] == ()
    assert calendar.week[5] == ((10 * 60, MINUTES_A_DAY),)  # closes 00:00: at midnight
    assert calendar.is_closed_on(datetime.date(2026, 12, 7))
    assert calendar.is_closed_on(datetime.date(2026, 12, 25))  # Christmas Day, from python-holidays
    assert not calendar.is_closed_on(datetime.date(2026, 12, 8))


def test_the_calendars_cost_two_queries_however_many_locations(django_assert_num_queries, soho, camden):
    office_hours(soho)
    office_hours(camden, opens=8)
    others = [office_hours(LocationFactory()) for _ in range(5)]
    for location in (soho, camden, *others):
        ClosedDateFactory(location=location)
    ids = [soho.pk, camden.pk, *(o.pk for o in others)]
    with django_assert_num_queries(2):
        calendars = location_calendars(ids)
    assert calendars.keys() == set(ids)
    assert calendars[camden.pk].week[0] == ((8 * 60, 17 * 60),)
    with django_assert_num_queries(2):
        location_calendar(soho.pk)


@pytest.mark.parametrize(
    ("opens", "closes", "ok"),
    [("09:00", "17:00", True), ("10:00", "00:00", True), ("22:00", "02:00", False), ("09:00", "09:00", False)],
)
def test_closing_time_comes_after_opening_time(soho, opens, closes, ok):
    row = OpeningHours(location=soho, weekday=0, opens=opens, closes=closes)
    if ok:
        row.full_clean()
        return
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    assert refused.value.message_dict["closes"] == [CLOSES_BEFORE_OPENS]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"time_zone": "Europe/Londres"}, "time_zone", UNKNOWN_TIME_ZONE),
        ({"holiday_country": "XX"}, "holiday_country", UNKNOWN_COUNTRY),
        ({"holiday_country": "GB", "holiday_subdivision": "CA"}, "holiday_subdivision", "GB has no part CA"),
        ({"holiday_subdivision": "ENG"}, "holiday_subdivision", "Choose the country first"),
    ],
)
def test_a_location_refuses_an_unknown_zone_country_or_part(soho, changes, field, message):
    for name, value in changes.items():
        setattr(soho, name, value)
    with pytest.raises(ValidationError) as refused:
        soho.full_clean()
    assert str(message) in refused.value.message_dict[field][0]


def _admin_form(location, hours=(), closed=(), **changes):
    form = {"name": location.name, "code": location.code, "is_active": "on", "language": "en"} | changes
    form |= {"opening_hours-TOTAL_FORMS": str(len(hours)), "opening_hours-INITIAL_FORMS": "0"}
    for i, (weekday, opens, closes) in enumerate(hours):
        form |= {f"opening_hours-{i}-weekday": weekday, f"opening_hours-{i}-opens": opens}
        form[f"opening_hours-{i}-closes"] = closes
    form |= {"closed_dates-TOTAL_FORMS": str(len(closed)), "closed_dates-INITIAL_FORMS": "0"}
    for i, (day, name) in enumerate(closed):
        form |= {f"closed_dates-{i}-date": day, f"closed_dates-{i}-name": name}
    return form


def test_an_owner_sets_the_working_time_in_the_back_office(owner, soho):
    owner.is_staff = True
    owner.save()
    url = reverse("admin:accounts_location_change", args=[soho.pk])
    client = signed_in(owner)
    assert "Opening hours (none: open round the clock" in client.get(url).content.decode()
    form = _admin_form(
        soho,
        hours=[(0, "09:00", "12:00"), (0, "13:00", "17:00"), (5, "10:00", "00:00")],
        closed=[("2026-12-24", "Christmas Eve")],
        time_zone="Europe/London",
        holiday_country="GB",
        holiday_subdivision="ENG",
    )
    response = client.post(url, form)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    calendar = location_calendar(soho.pk)
    assert calendar.week[0] == ((540, 720), (780, 1020)) and calendar.week[5] == ((600, MINUTES_A_DAY),)
    assert calendar.is_closed_on(datetime.date(2026, 12, 24)) and calendar.is_closed_on(datetime.date(2026, 12, 28))


def test_the_back_office_refuses_overlapping_hours_and_keeps_what_was_typed(owner, soho):
    owner.is_staff = True
    owner.save()
    url = reverse("admin:accounts_location_change", args=[soho.pk])
    form = _admin_form(soho, hours=[(0, "09:00", "13:00"), (0, "12:00", "17:00"), (1, "09:00", "17:00")])
    response = signed_in(owner).post(url, form)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Monday: Opening hours overlap on the same day (09:00-13:00 and 12:00-17:00)." in page
    assert 'value="12:00"' in page  # what was typed stays
    assert not OpeningHours.objects.filter(location=soho).exists()


def test_the_back_office_refuses_hours_past_midnight_in_one_row(owner, soho):
    owner.is_staff = True
    owner.save()
    url = reverse("admin:accounts_location_change", args=[soho.pk])
    response = signed_in(owner).post(url, _admin_form(soho, hours=[(4, "22:00", "02:00")]))
    assert response.status_code == 200
    assert "add the next day" in response.content.decode()
    assert not OpeningHours.objects.filter(location=soho).exists()


def test_a_manager_cannot_change_a_location_s_hours(manager, soho):
    manager.is_staff = True
    manager.save()
    url = reverse("admin:accounts_location_change", args=[soho.pk])
    signed_in(manager).post(url, _admin_form(soho, hours=[(0, "09:00", "17:00")]))
    assert not OpeningHours.objects.filter(location=soho).exists()
