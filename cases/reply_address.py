"""How a reply finds its case: the shapes of the reply address and the thread id (no Django import).

Every email to a customer says `Reply-To: <local>+<token>@<domain>` and `References:
<case-<token>@amends>`, as helpdesks do; the token (cases/reply_tokens.py signs and checks it)
is the case's id in base 36, a dot, and a signature in lower-case base 32. Everything is in
lower case and in letters, digits and one dot, because mail servers may change the case of an
address's local part and allow only some characters in it unquoted (RFC 5322 dot-atom).
Which case a token names is only believed once its signature is checked.
"""

import re
from email.utils import parseaddr

# A case id up to 13 base-36 digits (beyond PostgreSQL's bigint), the signature 20 base-32 letters.
_TOKEN = r"[0-9a-z]{1,13}\.[a-z2-7]{20}"
TOKEN = re.compile(rf"^{_TOKEN}$")
_THREAD = re.compile(rf"<case-({_TOKEN})@amends>")
SIGNATURE_LENGTH = 20
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def encode_id(case_id: int) -> str:
    """A case id in base 36 (short in an address)."""
    if case_id < 0:
        raise ValueError("A case id is not negative.")
    digits = ""
    while True:
        case_id, rest = divmod(case_id, 36)
        digits = _DIGITS[rest] + digits
        if not case_id:
            return digits


def token(case_id: int, signature: str) -> str:
    """The token from a case's id and the signature of `encode_id(case_id)`."""
    return f"{encode_id(case_id)}.{signature}"


def split_token(text: str) -> tuple[int, str, str] | None:
    """(case id, the signed part, the signature) of something shaped like a token, else None.
    Upper case is read as lower case (a mail server may have changed it)."""
    text = text.strip().lower()
    if not TOKEN.match(text):
        return None
    signed, signature = text.split(".")
    return int(signed, 36), signed, signature


def address(local: str, token: str, domain: str) -> str:
    """`local+token@domain`."""
    return f"{local}+{token}@{domain}"


def token_in_address(text: str, local: str, domain: str) -> str | None:
    """The token of a reply address (`Name <local+token@domain>` too), or None if it is not
    one of ours: another local part or domain, or no token after the plus."""
    _, email = parseaddr(text)
    mailbox, at, host = email.lower().rpartition("@")
    if not at or host != domain.lower():
        return None
    name, plus, found = mailbox.partition("+")
    if not plus or name != local.lower() or not TOKEN.match(found):
        return None
    return found


def thread_id(token: str) -> str:
    """The case's thread, as a message id: the first of every message's References."""
    return f"<case-{token}@amends>"


def tokens_in_references(header: str) -> list[str]:
    """The tokens of the case thread ids in a References or In-Reply-To header, in order."""
    return [found.lower() for found in _THREAD.findall(header.lower())]


def domain_of(from_email: str) -> str:
    """The domain of an address such as DEFAULT_FROM_EMAIL (`Amends <amends@example.com>`), or
    "" if it has none."""
    _, email = parseaddr(from_email)
    return email.rpartition("@")[2].lower() if "@" in email else ""
