"""The customer's link to their case: signed, expiring, no login.

It lives with cases, below both the follow-ups whose messages carry it and the portal whose
page reads it: making it needs only the case's id and the page's URL name (`portal:case`),
so followups does not import portal.

The token carries only the case's id, signed with SECRET_KEY and a salt of its
own, so it cannot be forged or re-used for anything else; it is refused once it
is older than AMENDS_CUSTOMER_LINK_DAYS (the view also refuses an anonymised case).
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from core.links import absolute_url

SALT = "amends.portal.case"


class LinkRefused(Exception):
    """The link was altered or has expired: the page says so and shows nothing."""

    def __init__(self, expired: bool, case_id: int | None = None):
        super().__init__("expired" if expired else "altered")
        self.expired = expired
        # An expired link was genuine: the case it named is known (its location's contact
        # goes on the page); an altered one names nothing.
        self.case_id = case_id


def case_token(case_id: int) -> str:
    return signing.dumps({"case": case_id}, salt=SALT, compress=True)


def case_id_from_token(token: str, *, max_age: timedelta | None = None) -> int:
    """The case a token names, or LinkRefused if it was altered or is too old."""
    max_age = max_age or timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as error:
        payload = signing.loads(token, salt=SALT)  # the signature was good: only its age is refused
        case_id = payload.get("case") if isinstance(payload, dict) else None
        raise LinkRefused(expired=True, case_id=case_id if isinstance(case_id, int) else None) from error
    except signing.BadSignature as error:
        raise LinkRefused(expired=False) from error
    case_id = payload.get("case") if isinstance(payload, dict) else None
    if not isinstance(case_id, int):
        raise LinkRefused(expired=False)
    return case_id


def link_expires_at(token: str) -> datetime:
    """When a token that `case_id_from_token` accepted stops working (its page says so)."""
    # A signed value ends "…:<timestamp in base 62>:<signature>"; the signature was checked.
    issued = signing.b62_decode(token.rsplit(":", 2)[-2])
    return datetime.fromtimestamp(issued, tz=UTC) + timedelta(days=settings.AMENDS_CUSTOMER_LINK_DAYS)


def customer_link(case_id: int) -> str:
    """The absolute link a message to the customer carries."""
    return absolute_url(reverse("portal:case", kwargs={"token": case_token(case_id)}))
