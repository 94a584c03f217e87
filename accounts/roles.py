"""Roles are Django groups; this module is the one place that names them, and says who works
where: which locations a user sees, whether they work at one, who staffs a location and who
manages it. Every app asks here rather than writing the rule again."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import Location, User
from .role import Role

# The roles as people read them: the group names are identifiers, the same in every language.
ROLE_LABELS = {Role.FRONTLINE: _("Frontline"), Role.MANAGER: _("Manager"), Role.OWNER: _("Owner")}

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
    """Owners see every location; an integration only the one it was made for, whatever role it
    acts in (an owner makes it for one location's system: a till at Soho is no key to Camden)."""
    return role_of(user) is Role.OWNER and not getattr(user, "is_integration", False)


def location_ids_of(user) -> list[int] | None:
    """The ids of the locations the user works at; None means every location."""
    if sees_all_locations(user):
        return None
    ids = getattr(user, "_amends_location_ids", None)
    if ids is None:
        ids = list(user.locations.values_list("id", flat=True))
        user._amends_location_ids = ids
    return ids


def works_at(user, location_id: int) -> bool:
    """Whether the user works at this location (owners: at every one)."""
    allowed = location_ids_of(user)
    return allowed is None or location_id in allowed


def locations_of(user, *, active_only: bool = False) -> QuerySet[Location]:
    """The locations the user works at (owners: all), for the choices of a form or a filter."""
    locations = Location.objects.filter(is_active=True) if active_only else Location.objects.all()
    location_ids = location_ids_of(user)
    return locations if location_ids is None else locations.filter(pk__in=location_ids)


def staff_at(location_ids: list[int] | None) -> QuerySet[User]:
    """Active staff who may be given cases at these locations (None: anywhere)."""
    staff = User.objects.filter(is_active=True, is_integration=False)
    if location_ids is not None:
        staff = staff.filter(locations__in=location_ids).distinct()
    return staff.order_by("first_name", "last_name", "username")


def managers_of(location_id: int) -> list[User]:
    """Who an escalation at this location goes to: its managers, else the owners."""
    staff = User.objects.filter(is_active=True, is_integration=False)
    managers = list(staff.filter(groups__name=Role.MANAGER, locations=location_id))
    return managers or list(staff.filter(groups__name=Role.OWNER))


# What each role may do. Scoping to locations is done by the selectors; these
# permissions decide which pages and actions a role has at all.
_FRONTLINE_PERMISSIONS = [
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "cases.view_case",
    "cases.add_case",
    "cases.change_case",
    "cases.view_event",
    "cases.add_event",
    "accounts.view_location",
]
_FRONTLINE_PERMISSIONS += ["recovery.view_proposal", "recovery.add_proposal", "recovery.change_proposal"]
_FRONTLINE_PERMISSIONS += [
    "followups.view_followup",
    "followups.add_followup",
    "followups.change_followup",
    "corrective.view_correctiveaction",
    # Staff write to the customer from a saved reply; managers and owners keep the replies.
    "conversations.view_savedreply",
]
_MANAGER_PERMISSIONS = [
    *_FRONTLINE_PERMISSIONS,
    "accounts.view_user",
    "recovery.decide_proposal",
    "recovery.view_ledgerentry",
    "recovery.view_policyversion",
    # Managers own corrective measures: they record them, link cases and mark them done.
    "corrective.add_correctiveaction",
    "corrective.change_correctiveaction",
    "followups.view_messagetemplate",
    "followups.resolve_followup",
    "conversations.add_savedreply",
    "conversations.change_savedreply",
    # Managers read their locations' numbers; owners the whole business.
    "dashboard.view_dashboard",
    # What came in by email and was rejected or ignored, so nothing vanishes silently.
    "inbox.view_inboundmessage",
]
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.FRONTLINE: _FRONTLINE_PERMISSIONS,
    Role.MANAGER: _MANAGER_PERMISSIONS,
    Role.OWNER: [
        *_MANAGER_PERMISSIONS,
        "accounts.add_location",
        "accounts.change_location",
        # A location's working time, edited on its back-office page (opening hours, closed dates).
        *(
            f"accounts.{action}_{model}"
            for action in ("view", "add", "change", "delete")
            for model in ("openinghours", "closeddate")
        ),
        "recovery.add_policyversion",
        "followups.add_messagetemplate",
        "followups.change_messagetemplate",
        "cases.view_audit_trail",
        # A customer's data handed over or erased on their request: the whole business's, so an owner's.
        "customers.export_customer",
        "customers.erase_customer",
        # A location's keys to the API for its systems (a till, a helpdesk): api/.
        "api.manage_integration_tokens",
        # Webhooks: the endpoints that get the event log, their secrets and delivery logs.
        *(f"webhooks.{action}_endpoint" for action in ("view", "add", "change", "delete")),
    ],
}


def ensure_role_groups(apps) -> None:
    """Make the role groups and give them their permissions; safe to run again.

    Runs from the data migration and after every `migrate` (post_migrate), so a
    database that was flushed (as transactional tests do) gets its roles back.
    `apps` is a migration's app registry or django.apps.apps.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role.value)
        wanted = Q(pk__in=[])
        for code in codes:
            app_label, codename = code.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        # Permissions of apps not migrated yet are added by the post_migrate run at the end of `migrate`.
        group.permissions.add(*Permission.objects.filter(wanted))
