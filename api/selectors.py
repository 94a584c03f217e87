"""Reading the API's tokens."""

from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import User
from accounts.roles import location_ids_of

from . import tokens
from .models import ApiToken


def token_for(secret: str, now: datetime) -> ApiToken | None:
    """The live token `secret` is, with the user it acts as; None for anything else (malformed,
    unknown, revoked, expired, or its user no longer active). Looked up by its public prefix,
    then compared by its SHA-256 in constant time."""
    prefix = tokens.prefix_of(secret)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not tokens.matches(secret, token.digest):
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if not token.user.is_active:
        return None
    return token


def personal_tokens_of(user: User) -> QuerySet[ApiToken]:
    """A member of staff's own tokens, newest first (revoked ones too: when and which)."""
    return ApiToken.objects.filter(user=user, kind=ApiToken.Kind.PERSONAL).order_by("-created_at", "-id")


def integration_tokens_all(user: User) -> QuerySet[ApiToken]:
    """The integration tokens of the locations `user` runs, by location then newest first, with
    who made each."""
    tokens = ApiToken.objects.filter(kind=ApiToken.Kind.INTEGRATION)
    location_ids = location_ids_of(user)
    if location_ids is not None:
        tokens = tokens.filter(location_id__in=location_ids)
    return tokens.select_related("created_by", "location").order_by("location__name", "-created_at", "-id")


def live_q(now: datetime) -> Q:
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))
