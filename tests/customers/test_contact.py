import pytest
from hypothesis import given
from hypothesis import strategies as st

from customers import contact
from customers.contact import (
    normalise_email,
    normalise_phone,
    phone_for_display,
    phone_readings,
    phone_search_digits,
)


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("07700 900123", "GB", "+447700900123"),
        ("+44 7700 900123", "GB", "+447700900123"),
        ("+44 (0)7700 900-123", "US", "+447700900123"),
        ("0044 20 7946 0958", "GB", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("(01) 234 5678", "IE", "+35312345678"),
        ("+1.415.555.0100", "GB", "+14155550100"),
        ("415 555 0100", "US", "+14155550100"),
        ("06 1234 5678", "IT", "+390612345678"),  # Italy keeps its leading 0
        ("０７７００ ９００１２３", "GB", "+447700900123"),  # full-width digits, as a phone keyboard may type
    ],
)
def test_phone_numbers_are_stored_in_e164_read_in_the_region(typed, region, stored):
    assert normalise_phone(typed, region) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("call me", contact.NOT_A_PHONE),
        ("²²²²²²²²", contact.NOT_A_PHONE),
        ("", contact.NOT_A_PHONE),
        ("0" * 41, contact.NOT_A_PHONE),
        ("12345", contact.TOO_SHORT.format(country="+44 (GB)")),
        ("0770 090", contact.TOO_SHORT.format(country="+44 (GB)")),
        ("1" * 16, contact.TOO_LONG.format(country="+44 (GB)")),
        ("+999 1234 5678", contact.NO_SUCH_COUNTRY),
        ("+44 20 7946 0958 ext 4", contact.NO_EXTENSION),
    ],
)
def test_what_is_no_phone_number_is_refused_with_a_reason(typed, message):
    with pytest.raises(ValueError) as refused:
        normalise_phone(typed, "GB")
    assert str(refused.value) == message


def test_a_number_is_read_in_every_region_asked_for_search():
    assert phone_readings("01 234 5678", ["IE"]) == {"+35312345678"}
    assert "+35312345678" in phone_readings("01 234 5678", ["GB", "IE"])
    assert phone_readings("call me", ["GB", "IE"]) == set()


@pytest.mark.parametrize(
    ("typed", "digits"), [("07700 9", "77009"), ("0044 7700", "447700"), ("900123", "900123"), ("0 1", ""), ("²³¹", "")]
)
def test_part_of_a_number_is_looked_for_without_its_trunk_or_international_prefix(typed, digits):
    assert phone_search_digits(typed) == digits


def test_emails_compare_without_case():
    assert normalise_email("  Jane@Example.COM ") == "jane@example.com"


@given(st.integers(10**6, 10**15 - 1).map("+{}".format), st.sampled_from(["GB", "US", "IE", "FR"]))
def test_normalising_twice_changes_nothing(number, region):
    try:
        once = normalise_phone(number, region)
    except ValueError:
        return
    assert normalise_phone(once, region) == once
    assert normalise_phone(once, "GB") == once  # E.164 reads the same in any region


@pytest.mark.parametrize(
    ("stored", "shown"),
    [("+447700900123", "+44 7700 900123"), ("+12025550123", "+1 202-555-0123"), ("kept as typed", "kept as typed")],
)
def test_a_stored_number_is_shown_grouped_as_people_read_it(stored, shown):
    assert phone_for_display(stored) == shown
