"""The case list's filters, including dates at the edges of a local day."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests.factories import CaseFactory

LONDON = ZoneInfo("Europe/London")


def listed(client, **query):
    return set(client.get(reverse("cases:list"), query).context["page"].object_list)


def test_date_range_follows_local_days_in_summer_time(frontline, frontline_client, soho):
    # 23:30 on 30 June in London is 22:30 UTC: it belongs to 30 June, not 1 July.
    late = CaseFactory(location=soho, created_by=frontline, created_at=datetime(2026, 6, 30, 23, 30, tzinfo=LONDON))
    next_day = CaseFactory(location=soho, created_by=frontline, created_at=datetime(2026, 7, 1, 0, 30, tzinfo=LONDON))
    assert listed(frontline_client, created_from="2026-06-30", created_to="2026-06-30") == {late}
    assert listed(frontline_client, created_from="2026-07-01") == {next_day}


def test_overdue_shows_only_cases_past_their_first_contact_time(frontline, frontline_client, soho):
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=LONDON), tick=False):
        now = timezone.now()
        late = CaseFactory(
            location=soho, created_by=frontline, first_contact_at=None, sla_due_at=now - timedelta(minutes=1)
        )
        CaseFactory(location=soho, created_by=frontline, first_contact_at=None, sla_due_at=now + timedelta(hours=1))
        CaseFactory(
            location=soho,
            created_by=frontline,
            first_contact_at=now - timedelta(hours=2),
            sla_due_at=now - timedelta(hours=1),
        )
        CaseFactory(
            location=soho,
            created_by=frontline,
            first_contact_at=None,
            state="closed",
            outcome="unknown",
            closed_at=now,
            sla_due_at=now - timedelta(days=1),
        )
        assert listed(frontline_client, overdue="on") == {late}


@pytest.mark.parametrize(
    ("field", "value", "matching"),
    [
        ("state", "in_recovery", {"state": "in_recovery"}),
        ("state", "active", {"state": "open"}),
        ("category", "billing_error", {"category": "billing_error"}),
        ("severity", "critical", {"severity": "critical"}),
    ],
)
def test_each_filter_narrows_the_list(frontline, frontline_client, soho, field, value, matching):
    wanted = CaseFactory(location=soho, created_by=frontline, **matching)
    CaseFactory(
        location=soho,
        created_by=frontline,
        state="closed",
        outcome="lost",
        closed_at=timezone.now(),
        category="other",
        severity="minor",
    )
    assert listed(frontline_client, **{field: value}) == {wanted}


def test_assignee_me_and_nobody(frontline, frontline_client, soho):
    mine = CaseFactory(location=soho, created_by=frontline)
    nobodys = CaseFactory(location=soho, created_by=frontline, assignee=None)
    assert listed(frontline_client, assignee="me") == {mine}
    assert listed(frontline_client, assignee="none") == {nobodys}


def test_sorting_by_due_time(frontline, frontline_client, soho):
    now = timezone.now()
    later = CaseFactory(location=soho, created_by=frontline, sla_due_at=now + timedelta(hours=2))
    sooner = CaseFactory(location=soho, created_by=frontline, sla_due_at=now + timedelta(hours=1))
    page = frontline_client.get(reverse("cases:list"), {"sort": "due"}).context["page"]
    assert list(page.object_list) == [sooner, later]


def test_paging_without_counting(frontline, frontline_client, soho):
    CaseFactory.create_batch(26, location=soho, created_by=frontline)
    first = frontline_client.get(reverse("cases:list"), {"sort": "newest"}).context["page"]
    second = frontline_client.get(reverse("cases:list"), {"sort": "newest", "page": "2"}).context["page"]
    assert (len(first), first.has_next, len(second), second.has_next) == (25, True, 1, False)
    assert not set(first.object_list) & set(second.object_list)


def test_a_nonsense_filter_value_shows_an_error_not_a_crash(frontline_client):
    response = frontline_client.get(reverse("cases:list"), {"state": "bogus", "created_from": "yesterday"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_full_text_search_on_postgresql_matches_word_forms(postgres, frontline, frontline_client, soho):
    waited = CaseFactory(location=soho, created_by=frontline, description="We waited an hour for the booked table")
    CaseFactory(location=soho, created_by=frontline, description="The invoice was wrong")
    assert listed(frontline_client, q="waiting") == {waited}


def test_the_dashboard_figure_is_not_a_dropdown_on_the_case_list(frontline_client):
    page = frontline_client.get(reverse("cases:list"), {"sort": "newest"}).content.decode()
    assert 'name="figure"' in page  # carried when other filters change...
    assert '<select name="figure"' not in page and "Dashboard figure" not in page  # ...never offered


def test_a_figure_from_the_dashboard_shows_as_a_banner_with_a_way_to_clear_it(manager, soho):
    from dashboard.case_sets import CASE_SETS
    from tests.conftest import signed_in

    contacted = CaseFactory(location=soho, first_contact_at=timezone.now())
    waiting = CaseFactory(location=soho, first_contact_at=None)
    response = signed_in(manager).get(reverse("cases:list"), {"figure": "contacted", "sort": "newest"})
    page = response.content.decode()
    assert set(response.context["page"].object_list) == {contacted}
    assert f"“{CASE_SETS['contacted'].label}”" in page
    assert 'href="?sort=newest">Show all these cases' in page
    assert set(listed(signed_in(manager), sort="newest")) == {contacted, waiting}


def test_an_unknown_figure_says_so(frontline_client):
    page = frontline_client.get(reverse("cases:list"), {"figure": "nonsense"}).content.decode()
    assert "Dashboard figure: Select a valid choice" in page
