"""The roles, as plain Python (no Django import): the one `Role` every app names. Their groups
and permissions are in accounts/roles.py (which re-exports it); recovery's pure policy ranks
them by the authority they carry."""

from enum import StrEnum

from core.translatable import gettext_noop


class Role(StrEnum):
    """Who someone is at work, from least to most authority."""

    FRONTLINE = "Frontline"
    MANAGER = "Manager"
    OWNER = "Owner"

    # A StrEnum hashes as its string, in C (str's hash, cached on the object), not through Enum's
    # Python-level hash of the name: the policy engine looks roles up in dicts thousands of times
    # a replay. Said here so that nobody "fixes" it back.
    __hash__ = str.__hash__

    @property
    def rank(self) -> int:
        """0 for frontline staff, 1 for managers, 2 for owners."""
        return _RANKS[self._value_]


_RANKS = {role.value: rank for rank, role in enumerate(Role)}

# Someone of a role, as a sentence names them ("Needs a manager"): by the role or its stored
# value ("Manager"), translated where shown.
A_ROLE = {
    Role.FRONTLINE: gettext_noop("frontline staff"),
    Role.MANAGER: gettext_noop("a manager"),
    Role.OWNER: gettext_noop("an owner"),
}
