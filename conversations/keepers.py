"""Who keeps saved replies: the one rule the services (which refuse) and the selectors (which say
what a page offers) both read, in a module of its own so neither imports the other for it."""

from accounts.models import User
from accounts.role import Role
from accounts.roles import role_of, works_at


def may_keep(actor: User, location_id: int | None) -> bool:
    """Owners keep replies for every location or any one; managers for a location of theirs."""
    role = role_of(actor)
    if role is Role.OWNER:
        return True
    return role is Role.MANAGER and location_id is not None and works_at(actor, location_id)
