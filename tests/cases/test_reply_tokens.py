"""The reply address and thread id every email to a customer carries: they name the case, and
nobody can make one up or turn one case's into another's."""

import base64

import pytest
from django.core import signing
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from cases import reply_address, reply_tokens
from cases.links import case_token


def test_a_token_names_its_case():
    assert reply_tokens.case_from_reply_token(reply_tokens.reply_token(123)) == 123


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_every_case_id_goes_there_and_back(case_id):
    assert reply_tokens.case_from_reply_token(reply_tokens.reply_token(case_id)) == case_id


def test_the_signature_is_django_signings_hmac_with_a_salt_of_its_own(settings):
    token = reply_tokens.reply_token(123)
    signed = signing.Signer(salt=reply_tokens.SALT, algorithm="sha256").signature(reply_address.encode_id(123))
    expected = base64.b32encode(signing.b64_decode(signed.encode())).decode().lower()[:20]
    assert token == f"3f.{expected}"


def test_a_token_is_short_lower_case_and_fit_for_an_address():
    token = reply_tokens.reply_token(2**40)
    assert reply_address.TOKEN.match(token)
    assert token == token.lower()
    assert len(f"reply+{token}") <= 64  # the longest local part an address may have


@pytest.mark.parametrize("position", [0, -1, -5])
def test_a_tampered_token_is_refused(position):
    token = reply_tokens.reply_token(123)
    changed = "a" if token[position] != "a" else "b"
    tampered = token[:position] + changed + (token[position + 1 :] if position != -1 else "")
    assert tampered != token
    assert reply_tokens.case_from_reply_token(tampered) is None


def test_another_cases_signature_does_not_open_this_case():
    mine, theirs = reply_tokens.reply_token(123), reply_tokens.reply_token(124)
    forged = mine.split(".")[0] + "." + theirs.split(".")[1]
    assert reply_tokens.case_from_reply_token(forged) is None


@pytest.mark.parametrize("text", ["", "123", "3f.", ".abc", "3f.abc", "zz" * 20 + ".aaaaaaaaaaaaaaaaaaaa", "3f:x"])
def test_what_is_not_shaped_like_a_token_is_refused(text):
    assert reply_tokens.case_from_reply_token(text) is None


def test_a_mail_server_that_upper_cases_the_address_does_not_lose_the_case():
    assert reply_tokens.case_from_reply_token(reply_tokens.reply_token(77).upper()) == 77


def test_other_signed_values_of_amends_are_not_tokens():
    # The customer's link and anything else signed with another salt name no case here.
    assert reply_tokens.case_from_reply_token(case_token(5)) is None
    assert reply_tokens.case_from_reply_token(signing.Signer(salt="other").sign("5")) is None


def test_a_token_signed_with_another_key_is_refused_unless_it_is_a_fallback():
    with override_settings(SECRET_KEY="the-old-key-" + "x" * 40):
        old = reply_tokens.reply_token(9)
    assert reply_tokens.case_from_reply_token(old) is None
    with override_settings(SECRET_KEY_FALLBACKS=["the-old-key-" + "x" * 40]):
        assert reply_tokens.case_from_reply_token(old) == 9


@override_settings(AMENDS_REPLY_DOMAIN="replies.example.com", AMENDS_REPLY_LOCAL_PART="reply")
def test_the_reply_address_is_the_local_part_plus_the_token_at_the_reply_domain():
    address = reply_tokens.reply_to(42)
    assert address == f"reply+{reply_tokens.reply_token(42)}@replies.example.com"
    assert reply_tokens.case_from_reply_address(address) == 42
    assert reply_tokens.case_from_reply_address(f"Soho <{address.upper()}>") == 42


@override_settings(AMENDS_REPLY_DOMAIN="replies.example.com", AMENDS_REPLY_LOCAL_PART="reply")
@pytest.mark.parametrize(
    "address",
    [
        "reply@replies.example.com",  # no token
        "other+{token}@replies.example.com",  # another mailbox
        "reply+{token}@elsewhere.example.com",  # another domain
        "reply+{token}x@replies.example.com",  # not a token
        "not an address",
    ],
)
def test_an_address_that_is_not_one_of_ours_names_no_case(address):
    assert reply_tokens.case_from_reply_address(address.format(token=reply_tokens.reply_token(42))) is None


@override_settings(AMENDS_REPLY_DOMAIN="", DEFAULT_FROM_EMAIL="Amends <hello@Shop.Example.com>")
def test_without_a_reply_domain_the_senders_domain_is_used():
    assert reply_tokens.reply_to(1).endswith("@shop.example.com")


def test_the_thread_id_names_the_case_and_is_found_among_references():
    thread = reply_tokens.case_thread_id(55)
    assert thread.startswith("<case-") and thread.endswith("@amends>")
    header = f"<followup-3@amends> {thread} <other@example.com>"
    assert reply_tokens.case_from_references(header) == 55
    forged = thread.replace(reply_tokens.reply_token(55).split(".")[0], "1k", 1)
    assert reply_tokens.case_from_references(forged) is None


@pytest.mark.parametrize(
    ("value", "domain"),
    [("Amends <amends@example.com>", "example.com"), ("a@B.org", "b.org"), ("Amends", ""), ("", "")],
)
def test_the_domain_of_a_sender(value, domain):
    assert reply_address.domain_of(value) == domain


@given(st.integers(min_value=0, max_value=36**13 - 1))
def test_a_case_id_in_base_36_reads_back(case_id):
    assert int(reply_address.encode_id(case_id), 36) == case_id


def test_a_negative_id_is_not_encoded():
    with pytest.raises(ValueError):
        reply_address.encode_id(-1)
