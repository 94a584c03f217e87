"""The reply address and thread id that every email to a customer carries, signed so that a
reply finds its case and nobody can make up an address that names another case.

The shapes are cases/reply_address.py (pure); here the signature: the case's id signed with
SECRET_KEY (and each of SECRET_KEY_FALLBACKS, so rotating the key does not orphan replies to
older mail) and a salt of its own, so no other signed value of Amends (the customer's link, a
password reset) is accepted as one. The signature is cut to 100 bits in base 32: unguessable,
and short enough for an address (a local part is at most 64 characters). It does not expire:
a customer may answer months later.
"""

import functools
import hashlib
import hmac
from email.utils import formataddr

from django.conf import settings
from django.utils.crypto import constant_time_compare

from . import reply_address
from .models import Case

SALT = "amends.cases.reply"


@functools.lru_cache(maxsize=8)
def _hmac_key(secret: str) -> bytes:
    # What django.utils.crypto.salted_hmac derives from the salt and the key on every call.
    return hashlib.sha256(f"{SALT}signer{secret}".encode()).digest()


def _signature(signed: str, key: str) -> str:
    # The HMAC django.core.signing.Signer(key=key, salt=SALT).signature(signed) computes (a test
    # holds the two together), with its key derived once a secret: a sixth of the time, and
    # every email to a customer signs one.
    raw = hmac.new(_hmac_key(key), signed.encode(), hashlib.sha256).digest()
    # Its first 100 bits in lower-case base 32 (base64.b32encode's first 20 letters: a test
    # holds them together), five bits a letter, without encoding the 32 bytes in pure Python.
    bits = int.from_bytes(raw[:13], "big") >> 4
    return "".join(_BASE32[(bits >> shift) & 31] for shift in _SHIFTS)


_BASE32 = "abcdefghijklmnopqrstuvwxyz234567"
_SHIFTS = range(5 * (reply_address.SIGNATURE_LENGTH - 1), -1, -5)


def reply_token(case_id: int) -> str:
    """The case's token: its id and a signature (`1f.kq3…`)."""
    return reply_address.token(case_id, _signature(reply_address.encode_id(case_id), settings.SECRET_KEY))


def case_from_reply_token(token: str) -> int | None:
    """The id of the case a token names, or None if the token is not one Amends signed
    (altered, made up, or signed with a key no longer in use)."""
    parts = reply_address.split_token(token)
    if parts is None:
        return None
    case_id, signed, signature = parts
    keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    if any(constant_time_compare(signature, _signature(signed, key)) for key in keys):
        return case_id
    return None


def reply_domain() -> str:
    """AMENDS_REPLY_DOMAIN, else the domain of DEFAULT_FROM_EMAIL's address."""
    return settings.AMENDS_REPLY_DOMAIN or reply_address.domain_of(settings.DEFAULT_FROM_EMAIL) or "localhost"


def reply_to(case_id: int) -> str:
    """Where the customer's reply to a message about this case goes: `reply+<token>@domain`."""
    return reply_address.address(settings.AMENDS_REPLY_LOCAL_PART, reply_token(case_id), reply_domain())


def reply_headers(case: Case) -> tuple[str, str]:
    """(Reply-To, References) of an email about this case: the reply address under the
    name the email comes from (its location), and the case's thread id."""
    token = reply_token(case.pk)
    address = reply_address.address(settings.AMENDS_REPLY_LOCAL_PART, token, reply_domain())
    return formataddr((case.location.sender_name or case.location.name, address)), reply_address.thread_id(token)


def case_from_reply_address(address: str) -> int | None:
    """The case an address we gave as Reply-To names (None: not ours, or not genuine)."""
    found = reply_address.token_in_address(address, settings.AMENDS_REPLY_LOCAL_PART, reply_domain())
    return None if found is None else case_from_reply_token(found)


def case_thread_id(case_id: int) -> str:
    """The case's thread id (`<case-<token>@amends>`): every email about the case names it
    first in References, so the customer's mail client shows them as one conversation."""
    return reply_address.thread_id(reply_token(case_id))


def case_from_references(header: str) -> int | None:
    """The case of the first genuine case thread id in a References (or In-Reply-To) header."""
    for found in reply_address.tokens_in_references(header):
        case_id = case_from_reply_token(found)
        if case_id is not None:
            return case_id
    return None
