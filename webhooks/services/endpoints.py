"""Registering, changing and removing webhook endpoints; replaying deliveries. One service a
change, each with its line in the event log (the audit trail: `webhook_endpoint.*`, the secret
never written there, only that it changed)."""

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import Location, User
from accounts.role import Role
from accounts.roles import role_of
from cases import events
from cases.events import Kind
from cases.models import Event
from core.exceptions import ApplicationError

from .. import addresses
from ..messages import new_secret
from ..models import Delivery, Endpoint
from ..selectors import endpoints_forget

OWNERS_ONLY = gettext_noop("Only an owner registers webhooks.")
UNKNOWN_KIND = gettext_noop("Choose among the kinds of events listed.")
ALL_KINDS = "all"


def allow_private() -> bool:
    return bool(settings.AMENDS_WEBHOOKS_ALLOW_PRIVATE)


def url_check(url: str) -> addresses.Target:
    """The URL's target if webhooks may go there, else an ApplicationError on the `url` field."""
    try:
        return addresses.check(url, allow_private=allow_private())
    except addresses.Refused as error:
        raise ApplicationError(gettext(error.message).format(**error.values), field="url") from error


def _owner(actor: User) -> None:
    if role_of(actor) is not Role.OWNER:
        raise ApplicationError(gettext(OWNERS_ONLY))


def _kinds(kinds: Iterable[str]) -> list[str]:
    chosen = sorted(set(kinds))
    if ALL_KINDS in chosen or not chosen:
        return []
    if any(kind not in Kind.values for kind in chosen):
        raise ApplicationError(gettext(UNKNOWN_KIND), field="kinds")
    return chosen


def _shown(endpoint: Endpoint, location_ids: list[int]) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "description": endpoint.description,
        "kinds": endpoint.kinds or [ALL_KINDS],
        "locations": sorted(location_ids),
        "is_active": endpoint.is_active,
    }


def _record(kind: str, endpoint_id: int, actor: User, changes: dict[str, tuple[Any, Any]], note: str) -> None:
    transaction.on_commit(endpoints_forget)  # the doorbell's "any endpoint?" is out of date
    events.record(
        kind=kind,
        actor=actor,
        subject=f"webhook_endpoint:{endpoint_id}",
        note=note,
        payload=events.Changed(changes=changes),
    )


@transaction.atomic
def endpoint_create(
    *,
    actor: User,
    url: str,
    description: str = "",
    kinds: Iterable[str] = (),
    locations: Iterable[Location] = (),
    is_active: bool = True,
    submission_token: uuid.UUID | None = None,
    now: datetime | None = None,
) -> Endpoint:
    """Register an endpoint with a new secret. It gets the events recorded from now on (not the
    log's past). The same form submitted twice (its `submission_token`) registers one."""
    _owner(actor)
    if submission_token is not None:
        done = Endpoint.objects.filter(submission_token=submission_token).first()
        if done is not None:
            return done
    url_check(url)
    now = now or timezone.now()
    endpoint = Endpoint(
        url=url.strip(),
        description=description.strip(),
        secret=new_secret(),
        kinds=_kinds(kinds),
        is_active=is_active,
        scanned_at=now,
        created_at=now,
        created_by=actor,
        submission_token=submission_token,
    )
    endpoint.full_clean(exclude=["secret"])
    try:
        with transaction.atomic():
            endpoint.save(force_insert=True)
    except IntegrityError:
        # The same submit, racing: the first one's endpoint.
        return Endpoint.objects.get(submission_token=submission_token)
    location_ids = [location.pk for location in locations]
    endpoint.locations.set(location_ids)
    shown = _shown(endpoint, location_ids)
    changes: dict[str, tuple[Any, Any]] = {name: (None, value) for name, value in shown.items()}
    changes["secret"] = (None, "set")
    _record(Kind.WEBHOOK_ENDPOINT_CREATED, endpoint.pk, actor, changes, f"Webhook endpoint added: {endpoint.url}")
    # From here on (its own registration included): the log's past is not sent.
    endpoint.cursor = endpoint.scanned_to = Event.objects.aggregate(last=Max("id"))["last"] or 0
    endpoint.save(update_fields=["cursor", "scanned_to"])
    return endpoint


@transaction.atomic
def endpoint_update(
    *,
    endpoint: Endpoint,
    actor: User,
    url: str,
    description: str = "",
    kinds: Iterable[str] = (),
    locations: Iterable[Location] = (),
    is_active: bool = True,
) -> Endpoint:
    """Change what an endpoint gets and where it goes. Saving it unchanged writes nothing."""
    _owner(actor)
    endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
    before = _shown(endpoint, list(endpoint.locations.values_list("pk", flat=True)))
    if url.strip() != endpoint.url:
        url_check(url)
    endpoint.url, endpoint.description = url.strip(), description.strip()
    endpoint.kinds, endpoint.is_active = _kinds(kinds), is_active
    endpoint.full_clean(exclude=["secret"])
    location_ids = [location.pk for location in locations]
    after = _shown(endpoint, location_ids)
    changes = {name: (before[name], after[name]) for name in after if before[name] != after[name]}
    if not changes:
        return endpoint
    endpoint.save(update_fields=["url", "description", "kinds", "is_active"])
    endpoint.locations.set(location_ids)
    _record(Kind.WEBHOOK_ENDPOINT_CHANGED, endpoint.pk, actor, changes, f"Webhook endpoint changed: {endpoint.url}")
    return endpoint


@transaction.atomic
def endpoint_rotate_secret(*, endpoint: Endpoint, actor: User) -> Endpoint:
    """A new secret: every request from now on is signed with it (retries of earlier events too)."""
    _owner(actor)
    endpoint.secret = new_secret()
    endpoint.save(update_fields=["secret"])
    _record(
        Kind.WEBHOOK_ENDPOINT_CHANGED,
        endpoint.pk,
        actor,
        {"secret": ("changed", "changed")},
        f"Webhook endpoint's secret rotated: {endpoint.url}",
    )
    return endpoint


@transaction.atomic
def endpoint_delete(*, endpoint: Endpoint, actor: User) -> None:
    """Remove an endpoint and its delivery log; nothing more is sent to it."""
    _owner(actor)
    endpoint_id, url = endpoint.pk, endpoint.url
    deleted, _ = Endpoint.objects.filter(pk=endpoint_id).delete()
    if deleted:
        _record(
            Kind.WEBHOOK_ENDPOINT_DELETED, endpoint_id, actor, {"url": (url, None)}, f"Webhook endpoint removed: {url}"
        )


@transaction.atomic
def deliveries_replay(
    *, endpoint: Endpoint, actor: User, delivery_ids: Iterable[int] | None = None, now: datetime | None = None
) -> int:
    """Send again: one delivery, or (no ids) every failed one of the endpoint. A new chain of
    retries starts, with the same `webhook-id` (a receiver that kept it drops it again)."""
    _owner(actor)
    now = now or timezone.now()
    chosen = Delivery.objects.filter(endpoint=endpoint).exclude(state=Delivery.State.PENDING)
    chosen = (
        chosen.filter(pk__in=list(delivery_ids))
        if delivery_ids is not None
        else chosen.filter(state=Delivery.State.FAILED)
    )
    return chosen.update(
        state=Delivery.State.PENDING,
        attempts=0,
        next_attempt_at=now,
        chain_started_at=now,
        claimed_until=None,
        delivered_at=None,
    )
