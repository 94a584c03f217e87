"""What a user can type reaches the code through a form that knows its limits: never a 500.

Each test here is one of the 500s an outside review found (issue 11); tests/test_fuzz.py
looks for the rest of the kind over every page.
"""

from datetime import date

import pytest
from django.urls import reverse

from core import forms as core_forms
from core.pagination import page_of
from tests.conftest import signed_in
from tests.factories import CaseFactory, CustomerFactory
from tests.project import APPS

FOREIGN_DIGITS = ["²", "٣", "１"]


@pytest.mark.parametrize("text", ["7", " 7 ", "+7", "-7"])
def test_parse_int_takes_ascii_digits(text):
    assert abs(core_forms.parse_int(text)) == 7


@pytest.mark.parametrize("text", [*FOREIGN_DIGITS, "", "1_000", "7.0", "1" * 19, "\x00", None])
def test_parse_int_refuses_what_int_would_take_or_choke_on(text):
    assert core_forms.parse_int(text) is None


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01"])
def test_date_field_refuses_far_dates(value):
    form_field = core_forms.DateField()
    with pytest.raises(core_forms.ValidationError) as refused:
        form_field.clean(value)
    assert refused.value.messages == [core_forms.OUT_OF_RANGE]


@pytest.mark.parametrize("value", ["9999-12-31T23:59", "0001-01-01T00:00", "2100-01-01T00:00"])
def test_datetime_field_refuses_far_dates(value):
    with pytest.raises(core_forms.ValidationError) as refused:
        core_forms.DateTimeField().clean(value)
    assert refused.value.messages == [core_forms.OUT_OF_RANGE]


def test_dates_in_range_pass():
    assert core_forms.DateField().clean("2026-11-24") == date(2026, 11, 24)


@pytest.mark.parametrize("value", [*FOREIGN_DIGITS, str(core_forms.INT_MAX + 1)])
def test_integer_field_refuses_foreign_digits_and_huge_numbers(value):
    with pytest.raises(core_forms.ValidationError):
        core_forms.IntegerField().clean(value)


@pytest.mark.parametrize("value", ["٣", "1٣.5", "²"])
def test_decimal_field_refuses_foreign_digits(value):
    with pytest.raises(core_forms.ValidationError):
        core_forms.DecimalField().clean(value)


@pytest.mark.parametrize("value", ["a\x00b", "bell\x07"])
def test_control_characters_are_refused(value):
    with pytest.raises(core_forms.ValidationError) as refused:
        core_forms.refuse_control_characters(value)
    assert refused.value.messages == [core_forms.CONTROL_CHARACTERS]


def test_line_breaks_and_tabs_are_text():
    core_forms.refuse_control_characters("one\r\ntwo\tthree")


@pytest.mark.django_db
@pytest.mark.parametrize("page", [*FOREIGN_DIGITS, "9" * 5000, "-3"])
def test_a_page_number_nobody_can_read_is_the_first_page(page):
    assert page_of(CaseFactory._meta.model.objects.none(), page, 10).number == 1


# The pages as the review found them.


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("cases:list", {"created_to": "9999-12-31"}),
        ("cases:list", {"created_from": "0001-01-01"}),
        ("dashboard:home", {"start": "9999-12-31"}),
        ("dashboard:home", {"end": "9999-12-31"}),
        ("dashboard:home", {"start": "0001-01-01"}),
    ],
)
def test_far_dates_in_a_filter_get_a_message_not_a_500(owner, page, query):
    response = signed_in(owner).get(reverse(page), query)
    assert response.status_code == 200
    assert str(core_forms.OUT_OF_RANGE) in response.content.decode()


@pytest.mark.parametrize("digit", FOREIGN_DIGITS)
def test_case_list_customer_in_foreign_digits_is_refused(manager, soho, digit):
    CaseFactory(location=soho)
    response = signed_in(manager).get(reverse("cases:list"), {"customer": digit})
    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("digit", FOREIGN_DIGITS)
def test_new_case_ignores_a_customer_in_foreign_digits(frontline, soho, digit):
    CustomerFactory(home_location=soho)  # id 1, 2 or 3: "٣" must not find it
    response = signed_in(frontline).get(reverse("cases:create"), {"customer": digit})
    assert response.status_code == 200
    assert response.context["chosen_customer"] is None


@pytest.mark.parametrize("digit", FOREIGN_DIGITS)
def test_severity_preview_ignores_a_customer_in_foreign_digits(frontline, digit):
    response = signed_in(frontline).get(reverse("cases:severity_preview"), {"customer": digit})
    assert response.status_code == 200
    assert response.json()["repeat"] is False


@pytest.mark.parametrize("digit", FOREIGN_DIGITS)
def test_new_corrective_action_ignores_a_case_in_foreign_digits(manager, digit):
    response = signed_in(manager).get(reverse("corrective:create"), {"case": digit})
    assert response.status_code == 200


@pytest.mark.parametrize("rank", [*FOREIGN_DIGITS, "0", "4", "99999999999999999999"])
def test_proposal_editor_starts_from_the_first_suggestion_for_a_rank_it_cannot_read(manager, soho, rank):
    case = CaseFactory(location=soho)
    response = signed_in(manager).get(reverse("recovery:propose", args=[case.pk]), {"from": rank})
    assert response.status_code == 200
    assert response.context["form"].initial["title"] == response.context["options"][0].title


def test_customer_search_refuses_a_nul_byte(frontline, soho):
    CustomerFactory(home_location=soho, name="Alice Moreno")
    response = signed_in(frontline).get(reverse("customers:search"), {"q": "Al\x00ice"})
    assert response.status_code == 200
    assert response.json() == {"results": []}


def test_customer_search_refuses_a_nul_byte_on_postgresql(postgres, frontline, soho):
    test_customer_search_refuses_a_nul_byte(frontline, soho)


def test_customer_search_finds_phone_digits_in_ascii_only(frontline, soho):
    CustomerFactory(home_location=soho, name="Bob", phone="+447700900222")
    response = signed_in(frontline).get(reverse("customers:search"), {"q": "²²²"})
    assert response.json() == {"results": []}


@pytest.mark.parametrize("at", ["9999-12-31T23:59", "0001-01-01T00:00"])
def test_a_callback_promised_for_a_far_date_is_refused(frontline, soho, at):
    case = CaseFactory(location=soho, assignee=frontline)
    response = signed_in(frontline).post(
        reverse("followups:case", args=[case.pk]), {"action": "callback_promise", "at": at}
    )
    assert response.status_code == 400
    assert str(core_forms.OUT_OF_RANGE) in response.content.decode()
    case.refresh_from_db()
    assert case.promised_callback_at is None


# The rule, kept: no view, selector or filter parses what a user typed by hand.

# Read by hand, and only ever compared with a constant or handed to a parser that knows its limits.
BY_HAND = {"export", "page", "action", "decision", "do", "next"}


def _sources():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for app in APPS:
        for path in (root / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "forms.py":
                yield path.relative_to(root), path.read_text()


def test_no_view_selector_or_filter_parses_input_by_hand():
    import re

    read = re.compile(r"request\.(?:GET|POST)(?:\.get\(\s*\"(\w+)\"|\[)")
    found = []
    for path, text in _sources():
        for number, full_line in enumerate(text.splitlines(), 1):
            line = full_line.split("#")[0]
            names = read.findall(line)
            if (
                any(name not in BY_HAND for name in names)
                or ".isdigit()" in line
                or re.search(r"\bint\(rank|\bint\(.*_pk\b", line)
            ):
                found.append(f"{path}:{number}: {line.strip()}")
    assert found == [], "read these through a form or filter (core/forms.py):\n" + "\n".join(found)


@pytest.mark.parametrize(("value", "valid"), [("1987-05-01", True), ("1899-12-31", False), ("9999-12-31", False)])
def test_a_customer_since_date_may_be_long_ago_but_not_in_the_future(value, valid):
    field = core_forms.PastDateField()
    if valid:
        assert field.clean(value) == date.fromisoformat(value)
    else:
        with pytest.raises(core_forms.ValidationError):
            field.clean(value)


@pytest.mark.parametrize("digit", ["٣", "١"])
def test_case_list_location_in_foreign_digits_is_refused(owner, soho, digit):
    CaseFactory(location=soho)
    response = signed_in(owner).get(reverse("cases:list"), {"location": digit})
    assert list(response.context["page"]) == []
    assert response.context["filter"].form.errors["location"]
