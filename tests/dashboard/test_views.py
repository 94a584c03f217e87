"""The dashboard page, its CSV, and the case lists its figures link to."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from cases.models import Case
from dashboard.forms import END_BEFORE_START
from dashboard.periods import budget_for
from dashboard.rollups import rollups_rebuild
from recovery.models import PolicyVersion
from tests.conftest import signed_in
from tests.factories import CaseFactory, ProposalFactory, ProposalLineFactory, staff

URL = reverse("dashboard:home")


def cases(location, count, **fields):
    person = staff(Role.FRONTLINE, location)
    now = timezone.now()
    for n in range(count):
        CaseFactory(location=location, created_by=person, created_at=now - timedelta(days=n % 20), **fields)


def test_managers_and_owners_land_on_the_dashboard_and_frontline_on_their_cases(frontline, manager, owner):
    assert signed_in(owner).get("/").url == URL
    assert signed_in(manager).get("/").url == URL
    assert signed_in(frontline).get("/").url == reverse("cases:list")
    assert signed_in(frontline).get(URL).status_code == 403


def test_the_owner_sees_the_whole_business(owner, soho, camden):
    cases(soho, 3)
    cases(camden, 2, severity="major", state="closed", closed_at=timezone.now(), outcome="retained")
    rollups_rebuild()
    page = signed_in(owner).get(URL)
    assert page.status_code == 200
    headline = page.context["page"].headline[0]
    assert (headline.label, headline.value) == ("Incidents", "5")
    assert "The whole business" in page.content.decode()
    # Every headline figure links to the case list with the same days.
    today = timezone.localdate()
    assert f"created_from={today - timedelta(days=29)}&created_to={today}" in headline.url


def test_a_manager_sees_their_location_and_their_queue(manager, soho, camden):
    cases(soho, 2)
    cases(camden, 4)
    rollups_rebuild()
    page = signed_in(manager).get(URL)
    assert page.context["page"].headline[0].value == "2"
    assert [location.pk for location in page.context["form"].fields["location"].queryset] == [soho.pk]
    assert "Waiting for your approval" in page.content.decode()


def test_a_range_that_ends_before_it_starts_is_refused_and_kept(owner):
    page = signed_in(owner).get(URL, {"start": "2026-11-20", "end": "2026-11-01", "category": "delay"})
    html = page.content.decode()
    assert str(END_BEFORE_START) in html
    assert 'value="2026-11-20"' in html and 'value="2026-11-01"' in html  # what was typed stays
    assert page.context["page"].scope.end == timezone.localdate()  # the default range is shown


def test_the_queries_do_not_grow_with_the_data(owner, soho, camden):
    def count():
        rollups_rebuild()
        with CaptureQueriesContext(connection) as queries:
            assert signed_in(owner).get(URL, {"period": "365"}).status_code == 200
        return len(queries)

    cases(soho, 5)
    few = count()
    cases(soho, 45, category="billing_error")
    cases(camden, 20, severity="critical")
    assert count() == few


def test_the_csv_has_every_figure_of_the_page(owner, soho):
    cases(soho, 3)
    rollups_rebuild()
    response = signed_in(owner).get(URL, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv") and response.streaming
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Figure", "Value", "Number", "Out of", "Detail", "From", "To"]
    assert rows[1][:5] == ["Headline", "Incidents", "3", "3", ""]
    assert {row[0] for row in rows[1:]} >= {"Warnings", "Speed", "Money", "Closing the loop", "Staff"}


def test_the_csv_gives_each_figure_as_a_plain_number_beside_what_people_read(owner, soho):
    cases(soho, 2, first_contact_at=timezone.now(), sla_due_at=timezone.now() + timedelta(hours=1))
    cases(soho, 1, first_contact_at=None, sla_due_at=timezone.now() - timedelta(hours=1))
    ProposalLineFactory(
        proposal=ProposalFactory(case=Case.objects.first()), face_value=Decimal("1500.00"), cost=Decimal("1250.50")
    )
    rollups_rebuild()
    response = signed_in(owner).get(URL, {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    by_figure = {(row[0], row[1]): row[2:5] for row in rows[1:]}
    assert by_figure["Headline", "First contact in time"] == ["67%", "2", "3"]
    scope = signed_in(owner).get(URL).context["page"].scope
    budget = budget_for(PolicyVersion.objects.latest().monthly_budget_per_location, scope.start, scope.end)
    assert by_figure["Money by location", soho.name] == ["£1,250.50", "1250.50", str(budget)]
    assert by_figure["Money", "Granted, face value"] == ["£1,500.00", "1500.00", ""]


def test_a_figure_clicks_through_to_its_cases(owner, soho):
    cases(soho, 2, first_contact_at=None, sla_due_at=timezone.now() - timedelta(hours=1))
    cases(soho, 3, sla_due_at=timezone.now() + timedelta(hours=1))
    rollups_rebuild()
    client = signed_in(owner)
    page = client.get(URL)
    missed = next(f for f in page.context["page"].headline if f.label == "First contact in time")
    assert missed.value == "60%"
    listed = client.get(missed.url)
    assert len(listed.context["page"].object_list) == 2
    assert "First contact late or missing" in listed.content.decode()


@pytest.mark.django_db
def test_the_case_list_exports_what_it_shows(owner, soho):
    cases(soho, 3, category="delay")
    cases(soho, 2, category="billing_error")
    response = signed_in(owner).get(reverse("cases:list"), {"category": "delay", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 4 and rows[0][0] == "Reference"
    assert {row[4] for row in rows[1:]} == {"Delay or long wait"}


def test_the_pro_rated_budget_says_why_it_is_not_the_monthly_budget(manager, soho):
    # 1-30 November is a whole month: the monthly budget. 1-15 November is half of it.
    for start, end, budget in (("2026-11-01", "2026-11-30", "£2,000.00"), ("2026-11-01", "2026-11-15", "£1,000.00")):
        response = signed_in(manager).get(reverse("dashboard:home"), {"start": start, "end": end})
        days = (int(end[-2:]) - int(start[-2:])) + 1
        help_line = f"The budget is pro-rated: £2,000.00 a month, counted for the {days} days chosen"
        assert help_line in response.content.decode()
        assert f"so {budget} here" in response.content.decode()
