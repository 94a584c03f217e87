"""API tokens as strings: made, read and hashed, with no Django import (a pure module).

A token reads `amd_<prefix>_<secret>`: `amd_` says what it is (secret scanners and people
recognise it), the prefix is the token's public name (shown on its page, the key its row is
looked up by), the secret is 256 random bits. Only the SHA-256 of the whole token is stored:
a leaked database names no token that works. SHA-256 rather than a slow password hash, because
the secret is random, not chosen by a person: nothing to guess, and every request checks one.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

SCHEME = "amd"
PREFIX_LENGTH = 8
_TOKEN = re.compile(rf"{SCHEME}_([A-Za-z0-9]{{{PREFIX_LENGTH}}})_([A-Za-z0-9_-]{{20,100}})")
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


@dataclass(frozen=True)
class NewToken:
    """A token just made: `token` is shown once, `prefix` and `digest` are stored."""

    token: str
    prefix: str
    digest: str


def digest_of(token: str) -> str:
    """The stored form of a token: SHA-256, hex."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> NewToken:
    """A fresh token: a random prefix of lower-case letters and digits, and 256 random bits."""
    prefix = "".join(secrets.choice(_ALPHABET) for _ in range(PREFIX_LENGTH))
    token = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewToken(token=token, prefix=prefix, digest=digest_of(token))


def prefix_of(token: str) -> str | None:
    """The prefix of a well-formed token, or None for anything else."""
    match = _TOKEN.fullmatch(token)
    return match.group(1) if match else None


def matches(token: str, digest: str) -> bool:
    """Whether `token` is the one stored as `digest` (in constant time)."""
    return hmac.compare_digest(digest_of(token), digest)
