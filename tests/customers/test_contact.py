import pytest
from hypothesis import given
from hypothesis import strategies as st

from customers.contact import normalise_email, normalise_phone


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+44 (20) 7946-0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("020 7946 0958", "02079460958"),
        ("+1.415.555.0100", "+14155550100"),
    ],
)
def test_phone_numbers_are_stored_without_separators(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12345", "call me", "²²²²²²²²", "+44 20 7946 0958 ext 4", "1" * 16, "++4420794609"])
def test_what_is_no_phone_number_is_refused(typed):
    with pytest.raises(ValueError, match="7 to 15 digits"):
        normalise_phone(typed)


def test_emails_compare_without_case():
    assert normalise_email("  Jane@Example.COM ") == "jane@example.com"


@given(st.from_regex(r"\+?[1-9][0-9]{6,14}", fullmatch=True))
def test_normalising_twice_changes_nothing(number):
    once = normalise_phone(number)
    assert normalise_phone(once) == once
