"""The dashboard's rules in plain Python: what a case adds, how ranges split, how figures read."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard import facts, figures, periods
from dashboard.facts import CaseRecord, FollowUpRecord, Remedy

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def record(**fields) -> CaseRecord:
    base = {"created_at": T0, "severity": "moderate", "state": "open", "sla_due_at": T0 + timedelta(hours=4)}
    return CaseRecord(**{**base, **fields})


def test_a_bare_open_case_is_one_uncontacted_incident():
    assert facts.case_counts(record()) == Counter(cases=1, uncontacted=1)


def test_first_contact_in_time_late_and_its_bucket():
    in_time = facts.case_counts(record(first_contact_at=T0 + timedelta(minutes=20)))
    assert (in_time["contacted"], in_time["sla_on_time"], in_time["contact_seconds"], in_time["contact_1"]) == (
        1, 1, 1200, 1,
    )  # fmt: skip
    late = facts.case_counts(record(first_contact_at=T0 + timedelta(hours=5)))
    assert (late["sla_late"], late["contact_5"]) == (1, 1)  # 5 h is in the 4–8 h bucket


def test_a_closed_case_with_an_apology_only_at_moderate_harm_is_a_warning():
    closed = {"state": "closed", "closed_at": T0 + timedelta(days=2), "outcome": "retained"}
    apology = Remedy("apology", Decimal(0), Decimal(0), delivered=True)
    counts = facts.case_counts(record(**closed, remedies=(apology,)))
    assert (counts["apology_only"], counts["resolved"], counts["closed_retained"], counts["resolution_7"]) == (
        1,
        1,
        1,
        1,
    )
    assert facts.case_counts(record(**closed, severity="minor"))["apology_only"] == 0
    refund = Remedy("full_refund", Decimal(40), Decimal(40), delivered=False)
    assert facts.case_counts(record(**closed, remedies=(apology, refund)))["apology_only"] == 0
    # Giving back an overcharge is owed, not a remedy: still an apology only.
    correction = Remedy("correction", Decimal(12), Decimal(12), delivered=True)
    assert facts.case_counts(record(**closed, remedies=(correction,)))["apology_only"] == 1


def test_money_granted_and_delivered_leave_out_corrections():
    remedies = (
        Remedy("gift_card", Decimal(25), Decimal("17.50"), delivered=True),
        Remedy("discount", Decimal(10), Decimal(10), delivered=False),
        Remedy("correction", Decimal(5), Decimal(5), delivered=True),
    )
    counts = facts.case_counts(record(remedies=remedies))
    assert (counts["granted_face"], counts["granted_cost"]) == (Decimal(35), Decimal("27.50"))
    assert (counts["delivered_face"], counts["delivered_cost"]) == (Decimal(25), Decimal("17.50"))
    by_kind = facts.remedy_counts(record(remedies=remedies))
    assert by_kind["correction"]["granted_face"] == Decimal(5)  # shown by remedy type, apart


def test_on_the_spot_and_approval_turnaround():
    remedy = (Remedy("gift_card", Decimal(25), Decimal(20), delivered=False),)
    spot = facts.case_counts(record(remedies=remedy, decisions=((T0, T0, False),)))
    assert (spot["granted_cases"], spot["on_the_spot"], spot["decided"]) == (1, 1, 0)
    manager = facts.case_counts(record(remedies=remedy, decisions=((T0, T0 + timedelta(hours=3), True),)))
    assert (manager["on_the_spot"], manager["decided"], manager["approval_seconds"], manager["approval_4"]) == (
        0, 1, 3 * 3600, 1,
    )  # fmt: skip


def test_told_about_the_remedy_and_the_fix_only_once_sent():
    delivered = (Remedy("free_item", Decimal(8), Decimal(3), delivered=True),)
    message = FollowUpRecord("remedy_message", "sent", T0, T0 + timedelta(seconds=40))
    told = facts.case_counts(record(remedies=delivered, followups=(message,), corrective_done=True))
    assert (told["remedy_delivered"], told["told_remedy"], told["corrective_done"], told["told_corrective"]) == (
        1, 1, 1, 0,
    )  # fmt: skip
    assert (told["followups_sent"], told["followups_on_time"]) == (1, 1)
    late = FollowUpRecord("remedy_message", "sent", T0, T0 + timedelta(minutes=6))
    assert facts.case_counts(record(followups=(late,)))["followups_on_time"] == 0


def test_a_callback_is_kept_when_made_and_missed_once_escalated():
    made = FollowUpRecord("callback_reminder", "done", T0, T0, T0 + timedelta(minutes=5))
    escalated = FollowUpRecord("callback_escalation", "sent", T0, T0 + timedelta(minutes=30))
    assert facts.case_counts(record(followups=(made,)))["callbacks_kept"] == 1
    both = facts.case_counts(record(followups=(made, escalated)))
    assert (both["callbacks_kept"], both["callbacks_missed"]) == (0, 1)


def test_the_verdict_of_recovered_customers_is_counted_apart():
    delivered = (Remedy("gift_card", Decimal(25), Decimal(20), delivered=True),)
    happy = facts.case_counts(record(remedies=delivered, rating=5, will_return="yes"))
    assert (happy["answers"], happy["rating_5"], happy["recovered_answers"], happy["recovered_will_return_yes"]) == (
        1, 1, 1, 1,
    )  # fmt: skip
    apology_only = facts.case_counts(record(rating=2, will_return="no"))
    assert (apology_only["recovered_answers"], apology_only["will_return_no"]) == (0, 1)


def test_repeat_incidents_by_number():
    assert facts.case_counts(record(incident_number=2))["repeat_second"] == 1
    assert facts.case_counts(record(incident_number=5))["repeat_later"] == 1


@pytest.mark.parametrize(
    ("minutes", "bucket"), [(0, 0), (15, 0), (15.01, 1), (60, 2), (61, 3), (1440, 6), (43200, 11), (50000, 12)]
)
def test_bucket_edges_are_inclusive(minutes, bucket):
    assert facts.bucket_of(minutes * 60) == bucket


def test_percentiles_to_the_bucket():
    # Ten values: 1 in bucket 0, 4 in bucket 2, 5 in bucket 6.
    histogram = [1, 0, 4, 0, 0, 0, 5] + [0] * 6
    assert periods.percentile_bucket(histogram, 0.5) == 2  # the 5th value
    assert periods.percentile_bucket(histogram, 0.9) == 6
    assert periods.percentile_bucket([0] * 13, 0.5) is None
    duration = figures.duration({"contact_2": 4, "contact_0": 1, "contact_6": 5, "contact_seconds": 6000}, "contact")
    assert (duration.median, duration.p90, duration.average, duration.count) == (
        "within 1 h", "within 1 day", "10 min", 10,
    )  # fmt: skip


FRENCH = {
    figures.MINUTES: "{n} min",
    figures.HOURS: "{n} h",
    figures.ONE_DAY: "1 jour",
    figures.DAYS: "{n} jours",
    figures.WITHIN: "en {span} au plus",
    figures.OVER: "plus de {span}",
    periods.WEEK_OF: "sem. du {day} {month}",
}


def test_a_page_reads_durations_and_periods_in_its_own_language():
    def french(text):
        return FRENCH[text]

    duration = figures.duration({"contact_2": 4, "contact_0": 1, "contact_6": 5, "contact_seconds": 6000}, "contact")
    assert (duration.median_in(french), duration.p90_in(french)) == ("en 1 h au plus", "en 1 jour au plus")
    assert figures.span(3 * 86400, french) == "3.0 jours"
    assert figures.bucket_range_label(len(facts.BUCKET_EDGES), french) == "> 30 jours"
    week = periods.period_label(date(2026, 11, 30), periods.Grain.WEEK, french, lambda day: "nov.")
    assert week == "sem. du 30 nov."


def test_an_empty_range_reads_as_no_figure_not_zero():
    empty = figures.duration({}, "contact")
    assert (empty.median, empty.average) == ("–", "–")
    assert figures.Share(0, 0).percent == "–"
    assert figures.verdict({}).average_rating is None


def test_missed_first_contacts_leave_out_those_still_in_time():
    sla = figures.sla({"sla_on_time": 6, "sla_late": 1, "uncontacted": 3}, still_in_time=2)
    assert (sla.missed, sla.kept.part, sla.kept.whole, sla.kept.percent) == (2, 6, 8, "75%")


def test_a_range_splits_into_whole_months_and_the_days_at_its_ends():
    months, edges = periods.split(date(2026, 1, 15), date(2026, 4, 3))
    assert months == [date(2026, 2, 1), date(2026, 3, 1)]
    assert edges == [(date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 4, 1), date(2026, 4, 3))]
    assert periods.split(date(2026, 2, 1), date(2026, 2, 28)) == ([date(2026, 2, 1)], [])
    assert periods.split(date(2026, 2, 3), date(2026, 2, 20)) == ([], [(date(2026, 2, 3), date(2026, 2, 20))])


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 800))
def test_months_and_edges_cover_every_day_of_a_range_once(start, length):
    end = start + timedelta(days=length)
    months, edges = periods.split(start, end)
    days = [first + timedelta(days=n) for first, last in edges for n in range((last - first).days + 1)]
    for month in months:
        following = periods.next_month(month)
        days += [month + timedelta(days=n) for n in range((following - month).days)]
    assert sorted(days) == [start + timedelta(days=n) for n in range(length + 1)]


def test_chart_grain_and_periods():
    assert periods.grain_for(date(2026, 1, 1), date(2026, 1, 31)) is periods.Grain.DAY
    assert periods.grain_for(date(2026, 1, 1), date(2026, 3, 31)) is periods.Grain.WEEK
    assert periods.grain_for(date(2026, 1, 1), date(2026, 12, 31)) is periods.Grain.MONTH
    weeks = periods.periods(date(2026, 11, 4), date(2026, 11, 23), periods.Grain.WEEK)
    assert weeks == [date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]


def test_a_monthly_budget_over_part_of_months():
    # 15 of November's 30 days and all of December: half a budget and a whole one.
    assert periods.budget_for(Decimal(3000), date(2026, 11, 16), date(2026, 12, 31)) == Decimal("4500.00")


def test_pareto_runs_from_the_largest_to_all():
    rows = figures.pareto({"delay": 5, "billing_error": 3, "other": 2, "none": 0})
    assert rows == [("delay", 5, 0.5), ("billing_error", 3, 0.8), ("other", 2, 1.0)]
