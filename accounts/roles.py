"""Roles are Django groups; this module is the one place that names them."""

from enum import StrEnum


class Role(StrEnum):
    FRONTLINE = "Frontline"
    MANAGER = "Manager"
    OWNER = "Owner"


# Ordered from most to least authority: a person in two groups acts in the higher role.
_PRECEDENCE = (Role.OWNER, Role.MANAGER, Role.FRONTLINE)


def role_of(user) -> Role | None:
    """The highest role the user holds, or None for someone with no role.

    Group names are cached on the user object, so a page asks once.
    """
    if not user.is_authenticated:
        return None
    names = getattr(user, "_amends_groups", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._amends_groups = names
    if user.is_superuser:
        return Role.OWNER
    for role in _PRECEDENCE:
        if role in names:
            return role
    return None


def sees_all_locations(user) -> bool:
    return role_of(user) is Role.OWNER


def location_ids_of(user) -> list[int] | None:
    """The ids of the locations the user works at; None means every location."""
    if sees_all_locations(user):
        return None
    ids = getattr(user, "_amends_location_ids", None)
    if ids is None:
        ids = list(user.locations.values_list("id", flat=True))
        user._amends_location_ids = ids
    return ids
