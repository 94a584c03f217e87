"""Changes to who may do what (users, their roles and locations, their authority limits;
locations, their budgets, opening hours and closed dates) reach the event log from here.

These rows change in the back office (Django's admin), which calls no service of ours:
so the log listens to the models themselves. A signal receiver is the exception the house
style allows for this: it decides nothing, it only records. The actor and the address come
from the request being served (core/request_context.py); none means the system (a migration,
a shell). The receivers are connected by CasesConfig.ready().
"""

from decimal import Decimal
from typing import Any

from django.contrib.auth.models import Group
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import translation

from accounts.models import ClosedDate, Location, OpeningHours, User
from core.request_context import current_user

from . import events
from .events import Kind

# What is recorded of each; the rest (last_login, date_joined) is not a change of rights.
USER_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
    "authority_limit",
)
LOCATION_FIELDS = (
    "name",
    "code",
    "is_active",
    "monthly_budget",
    "typical_yearly_value",
    "phone_region",
    "sender_name",
    "sender_email",
    "inbound_email",
    "contact_line",
    "time_zone",
    "holiday_country",
    "holiday_subdivision",
)
WATCHED = {User: USER_FIELDS, Location: LOCATION_FIELDS}
KINDS = {
    User: (Kind.USER_CREATED, Kind.USER_CHANGED, Kind.USER_DELETED),
    Location: (Kind.LOCATION_CREATED, Kind.LOCATION_CHANGED, Kind.LOCATION_DELETED),
}


def _value(instance: Any, name: str) -> Any:
    value = getattr(instance, name)
    if isinstance(value, Decimal):
        # As stored (120 typed is 120.00 in the column), so before and after compare alike.
        places = instance._meta.get_field(name).decimal_places
        return str(value.quantize(Decimal(1).scaleb(-places)))
    return value


def _snapshot(instance: Any) -> dict[str, Any]:
    values = {name: _value(instance, name) for name in WATCHED[type(instance)]}
    if isinstance(instance, User):
        values["password"] = instance.password
    return values


def _changes(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changes = {
        name: (None if before is None else before[name], value)
        for name, value in after.items()
        if before is None or before[name] != value
    }
    if "password" in changes:
        # That it changed, never the hash.
        changes["password"] = (None, "set") if before is None else ("(old)", "(new)")
    return changes


def _subject(instance: Any) -> str:
    return f"{type(instance).__name__.lower()}:{instance.pk}"


def _record(kind: str, instance: Any, changes: dict[str, tuple[Any, Any]]) -> None:
    # A deleted location is named by the subject only: its row, which the entry would point at, is gone.
    at_location = isinstance(instance, Location) and kind != Kind.LOCATION_DELETED
    # The note is kept as data, in English whatever the actor reads: the page translates the kind itself.
    with translation.override(None):
        label = str(events.Kind(kind).label)
    events.record(
        kind=kind,
        actor=current_user(),
        subject=_subject(instance),
        location_id=instance.pk if at_location else None,
        note=f"{label}: {instance}.",
        payload=events.Changed(changes=changes),
    )


def _unwatched(sender, update_fields) -> bool:
    # A save of only other fields (a sign-in's last_login) reads nothing and records nothing.
    watched = {*WATCHED[sender], "password"}
    return update_fields is not None and not watched.intersection(update_fields)


def _before_save(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    if _unwatched(sender, update_fields):
        return
    if raw or instance.pk is None:
        instance._audit_before = None
        return
    row = sender.objects.filter(pk=instance.pk).first()
    instance._audit_before = None if row is None else _snapshot(row)


def _after_save(sender, instance, created, raw=False, update_fields=None, **kwargs) -> None:
    if raw or _unwatched(sender, update_fields):
        return
    changes = _changes(None if created else getattr(instance, "_audit_before", None), _snapshot(instance))
    if changes:
        created_kind, changed_kind, _ = KINDS[sender]
        _record(created_kind if created else changed_kind, instance, changes)


def _after_delete(sender, instance, **kwargs) -> None:
    _record(KINDS[sender][2], instance, _changes(_snapshot(instance), dict.fromkeys(WATCHED[sender])))


def _names(model, pks) -> list[str]:
    return sorted(str(row) for row in model.objects.filter(pk__in=pks))


def _memberships(sender, instance, action, model, pk_set, reverse=False, **kwargs) -> None:
    """A user's roles (groups) or locations changed: before and after, by name."""
    if reverse or action not in ("pre_add", "pre_remove", "pre_clear", "post_add", "post_remove", "post_clear"):
        return  # changed from the group's or location's side: not done by any page of ours
    field = "roles" if model is Group else "locations"
    related = instance.groups if model is Group else instance.locations
    if action.startswith("pre_"):
        instance._audit_members = _names(model, related.values_list("pk", flat=True))
        return
    before = getattr(instance, "_audit_members", [])
    after = _names(model, related.values_list("pk", flat=True))
    if before != after:
        _record(Kind.USER_CHANGED, instance, {field: (before, after)})


# A location's opening hours and closed dates are rows of their own (edited inline with the
# location): a change to one is a change to the location, recorded as the whole list before and after.
SCHEDULES: dict[type[models.Model], str] = {OpeningHours: "opening hours", ClosedDate: "closed dates"}


def _schedule(sender: type[models.Model], location_id: int) -> list[str]:
    return [str(row) for row in sender._default_manager.filter(location_id=location_id)]


def _before_schedule(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        instance._audit_schedule = _schedule(sender, instance.location_id)


def _after_schedule(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    before, after = getattr(instance, "_audit_schedule", []), _schedule(sender, instance.location_id)
    location = Location.objects.filter(pk=instance.location_id).first()
    if before != after and location is not None:  # none: the location itself is being deleted
        _record(Kind.LOCATION_CHANGED, location, {SCHEDULES[sender]: (before, after)})


def connect() -> None:
    for model in WATCHED:
        pre_save.connect(_before_save, sender=model, dispatch_uid=f"audit-before-{model.__name__}")
        post_save.connect(_after_save, sender=model, dispatch_uid=f"audit-after-{model.__name__}")
        post_delete.connect(_after_delete, sender=model, dispatch_uid=f"audit-delete-{model.__name__}")
    for model in SCHEDULES:
        pre_save.connect(_before_schedule, sender=model, dispatch_uid=f"audit-before-{model.__name__}")
        post_save.connect(_after_schedule, sender=model, dispatch_uid=f"audit-after-{model.__name__}")
        pre_delete.connect(_before_schedule, sender=model, dispatch_uid=f"audit-before-delete-{model.__name__}")
        post_delete.connect(_after_schedule, sender=model, dispatch_uid=f"audit-delete-{model.__name__}")
    m2m_changed.connect(_memberships, sender=User.groups.through, dispatch_uid="audit-user-groups")
    m2m_changed.connect(_memberships, sender=User.locations.through, dispatch_uid="audit-user-locations")
