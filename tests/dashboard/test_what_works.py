"""The outcome roll-up and the "What works" page: every figure is the count of the cases it links to."""

from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import time_machine
from django.db import connection
from django.db.models import Sum
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.selectors import case_list
from dashboard.rollups import rollups_rebuild, rollups_refresh
from dashboard.selectors import Scope
from dashboard.what_works import what_works
from desk.filters import CaseListFilter
from recovery.models import OutcomeRollup
from tests.conftest import signed_in
from tests.dashboard.test_rollups import NOW, give_a_gift_card_and_close, scopes, varied_cases
from tests.factories import CaseFactory

URL = reverse("dashboard:what_works")


def listed(user, url: str) -> int:
    """How many cases the case list shows at this link."""
    query = QueryDict(urlparse(url).query)
    found = CaseListFilter(query, queryset=case_list(user), user=user)
    assert found.is_valid(), found.form.errors
    return found.qs.count()


def rows_of(works: dict):
    yield works["total"]
    for table in ("by_kind", "by_amount", "by_contact", "by_severity"):
        yield from works[table]


def test_every_figure_is_the_count_of_the_cases_it_links_to(dataset, soho, manager):
    with time_machine.travel(NOW, tick=False):
        for scope in scopes(soho):
            # A scope of some locations is a manager's: their case list is of those locations.
            reader = manager if scope.location_ids else dataset
            works = what_works(scope)
            assert works["total"].cases.count > 0
            for row in rows_of(works):
                for name in ("cases", "decided", "retained", "answers", "satisfied"):
                    link = getattr(row, name)
                    assert link.count == listed(reader, link.url), (scope, row.label, name)


def test_every_case_is_in_one_amount_band_and_one_contact_band(dataset, soho):
    with time_machine.travel(NOW, tick=False):
        works = what_works(Scope(NOW.date().replace(day=1).replace(month=1), NOW.date()))
    total = works["total"].cases.count
    assert total == 80
    assert sum(row.cases.count for row in works["by_amount"]) == total
    assert sum(row.cases.count for row in works["by_contact"]) == total
    # Several remedies to a case: the kinds add up to at least every case.
    assert (
        sum(row.cases.count for row in works["by_kind"] if row.label != "A personal call (manager or owner)") >= total
    )


def test_outcome_month_rows_are_the_sums_of_their_days(dataset):
    def sums(grain):
        return OutcomeRollup.objects.filter(grain=grain).aggregate(n=Sum("cases"), r=Sum("retained"), a=Sum("answers"))

    assert sums("month") == sums("day")
    assert OutcomeRollup.objects.filter(grain="day", dimension="amount").aggregate(n=Sum("cases"))["n"] == 80


def test_the_owner_sees_the_whole_business_and_a_manager_their_locations(dataset, soho, manager):
    with time_machine.travel(NOW, tick=False):
        whole = signed_in(dataset).get(URL, {"period": "90"})
        mine = signed_in(manager).get(URL, {"period": "90"})
    assert whole.status_code == mine.status_code == 200
    assert whole.context["works"]["total"].cases.count == 80
    at_soho = case_list(manager).count()
    assert 0 < mine.context["works"]["total"].cases.count == at_soho < 80
    assert "Your locations" in mine.content.decode()


def test_frontline_staff_cannot_open_the_page(frontline):
    assert signed_in(frontline).get(URL).status_code == 403


def test_the_dashboard_links_to_the_page_with_its_filters(owner):
    page = signed_in(owner).get(reverse("dashboard:home"), {"period": "90", "severity": "major"})
    link = next(line for line in page.content.decode().splitlines() if "What works" in line)
    href = link.split('href="')[1].split('"')[0].replace("&amp;", "&")
    assert urlparse(href).path == URL
    assert parse_qs(urlparse(href).query) == {"period": ["90"], "severity": ["major"]}


def test_a_bad_date_is_a_message_not_an_error(owner):
    page = signed_in(owner).get(URL, {"start": "2026-13-45"})
    assert page.status_code == 200
    assert page.context["form"].errors


def test_the_queries_do_not_grow_with_the_data(owner, soho, camden):
    client = signed_in(owner)

    def count(cases: int, seed: int) -> int:
        varied_cases(soho, camden, count=cases, seed=seed)
        rollups_rebuild()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"period": "365"}).status_code == 200
        return len(queries)

    with time_machine.travel(NOW, tick=False):
        few = count(5, 3)
        assert count(50, 4) == few <= 10  # the session, the user, the menus; the roll-up is one


def test_the_refresh_keeps_the_outcome_roll_up_true(soho, frontline, customer):
    """A case closed through the services, after a remedy given through them, is counted by the
    next refresh under what it was given (the dashboard's refresh keeps this roll-up too)."""
    with time_machine.travel(NOW - timedelta(days=2), tick=False):
        rollups_refresh()
        case = CaseFactory(location=soho, customer=customer, created_by=frontline, order_value=Decimal(20),
                           first_contact_at=timezone.now() + timedelta(minutes=10))  # fmt: skip
        give_a_gift_card_and_close(case, frontline)
    with time_machine.travel(NOW, tick=False):
        rollups_refresh()
        works = what_works(Scope(NOW.date() - timedelta(days=5), NOW.date()))
    gift = next(row for row in works["by_kind"] if row.label == "Gift card")
    band = next(row for row in works["by_amount"] if row.label == "60–120% of the loss")  # 15 of 20
    quick = next(row for row in works["by_contact"] if row.label == "Within an hour")
    assert (gift.retained.count, band.retained.count, quick.retained.count) == (1, 1, 1)
