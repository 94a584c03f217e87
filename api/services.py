"""Writing the API's own rows: tokens (made, used, revoked) and idempotency keys (swept).
One function per action; tokens' changes are on the audit trail (cases.events)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from accounts.roles import Role, role_of, works_at
from cases import events
from cases.events import Kind
from core.exceptions import ApplicationError

from . import tokens
from .models import ApiToken, IdempotencyKey

NO_ROLE = _("Only staff with a role may have an API token.")
NOT_AN_OWNER = _("Only an owner makes or revokes a location's integration tokens.")
LOCATION_CLOSED = _("Choose an open location.")
NAME_EMPTY = _("Say what the token is for, e.g. the till at Soho.")
NOT_YOURS = _("That is not one of your tokens.")
EXPIRY_IN_PAST = _("An expiry must be in the future.")

# last_used_at is written at most this often per token: a busy integration is not a write a request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class MadeToken:
    """A token just made: `secret` is the token itself, shown this once and never again."""

    token: ApiToken
    secret: str


def _check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise ApplicationError(NAME_EMPTY, field="name")
    return name[:100]


def _check_expiry(expires_at: datetime | None, now: datetime) -> None:
    if expires_at is not None and expires_at <= now:
        raise ApplicationError(EXPIRY_IN_PAST, field="expires_at")


def _record(kind: str, token: ApiToken, actor: User, now: datetime, note: str) -> None:
    events.record(
        kind=kind,
        actor=actor,
        now=now,
        subject=f"api_token:{token.pk}",
        location_id=token.location_id,
        note=note,
        payload=events.ApiTokenChanged(
            token_id=token.pk,
            prefix=token.prefix,
            kind=token.kind,
            name=token.name,
            user_id=token.user_id,
            role=token.role,
            location_id=token.location_id,
        ),
    )


def _save_new(
    *,
    user: User,
    actor: User,
    kind: str,
    name: str,
    now: datetime,
    expires_at: datetime | None,
    location: Location | None = None,
    role: str = "",
) -> MadeToken:
    made = tokens.new_token()
    token = ApiToken(
        prefix=made.prefix,
        digest=made.digest,
        kind=kind,
        name=name,
        user=user,
        created_by=actor,
        location=location,
        role=role,
        created_at=now,
        expires_at=expires_at,
    )
    token.full_clean(exclude=["user", "created_by", "location"])
    token.save(force_insert=True)
    return MadeToken(token=token, secret=made.token)


@transaction.atomic
def personal_token_create(
    *, actor: User, name: str, expires_at: datetime | None = None, now: datetime | None = None
) -> MadeToken:
    """A token that acts as `actor`, with exactly their rights, for as long as they have them."""
    now = now or timezone.now()
    if role_of(actor) is None:
        raise ApplicationError(NO_ROLE)
    name = _check_name(name)
    _check_expiry(expires_at, now)
    made = _save_new(user=actor, actor=actor, kind=ApiToken.Kind.PERSONAL, name=name, now=now, expires_at=expires_at)
    _record(Kind.API_TOKEN_CREATED, made.token, actor, now, f"Personal API token “{name}” made.")
    return made


@transaction.atomic
def integration_token_create(
    *,
    actor: User,
    location: Location,
    role: Role,
    name: str,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> MadeToken:
    """A token for a system (a till, a helpdesk) at one location, acting in `role`. It acts as a
    user of its own, with that role and location and no password, so the web app's rules apply
    to it unchanged and the timeline names the integration."""
    now = now or timezone.now()
    _check_owner(actor, location)
    if not location.is_active:
        raise ApplicationError(LOCATION_CLOSED, field="location")
    name = _check_name(name)
    _check_expiry(expires_at, now)
    user = User(username=f"integration-{tokens.new_token().prefix}", first_name=name[:150], is_integration=True)
    user.set_unusable_password()
    user.save()
    user.groups.add(Group.objects.get(name=role.value))
    user.locations.add(location)
    made = _save_new(
        user=user,
        actor=actor,
        kind=ApiToken.Kind.INTEGRATION,
        name=name,
        now=now,
        expires_at=expires_at,
        location=location,
        role=role.value,
    )
    _record(
        Kind.API_TOKEN_CREATED,
        made.token,
        actor,
        now,
        f"Integration API token “{name}” made for {location.name}, acting as {role.value}.",
    )
    return made


def _check_owner(actor: User, location: Location) -> None:
    if not actor.has_perm("api.manage_integration_tokens") or not works_at(actor, location.pk):
        raise ApplicationError(NOT_AN_OWNER)


@transaction.atomic
def token_revoke(*, token: ApiToken, actor: User, now: datetime | None = None) -> ApiToken:
    """Stop a token working, at once. A personal token by its owner; an integration's by an
    owner (its user is deactivated too). Revoking twice changes nothing the second time."""
    now = now or timezone.now()
    token = ApiToken.objects.select_for_update(of=("self",)).select_related("location", "user").get(pk=token.pk)
    if token.kind == ApiToken.Kind.PERSONAL:
        if token.user_id != actor.pk:
            raise ApplicationError(NOT_YOURS)
    else:
        assert token.location is not None  # an integration's, by construction
        _check_owner(actor, token.location)
    if token.revoked_at is not None:
        return token
    token.revoked_at = now
    token.save(update_fields=["revoked_at"])
    if token.kind == ApiToken.Kind.INTEGRATION:
        token.user.is_active = False
        token.user.save(update_fields=["is_active"])
    _record(Kind.API_TOKEN_REVOKED, token, actor, now, f"API token “{token.name}” revoked.")
    return token


def token_touch(*, token: ApiToken, now: datetime) -> bool:
    """Note that the token was used, unless that was noted less than a minute ago. One
    conditional UPDATE: two requests at once write it once. Returns whether it wrote."""
    if token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - TOUCH_EVERY)
    written = ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now) == 1
    if written:
        token.last_used_at = now
    return written


def idempotency_keys_sweep(*, now: datetime | None = None, hours: int | None = None) -> int:
    """Forget the idempotency keys older than AMENDS_API_IDEMPOTENCY_HOURS; returns how many."""
    now = now or timezone.now()
    keep = timedelta(hours=hours if hours is not None else settings.AMENDS_API_IDEMPOTENCY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=now - keep).delete()
    return deleted
