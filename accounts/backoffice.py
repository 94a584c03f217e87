"""The back office (Django's admin) on the same terms as the app: it looks, and shows each
person only what their locations hold.

Every change to a case, customer, remedy, follow-up or corrective action goes through its
service, which checks who may do it, writes the case's timeline and tells whoever must hear;
an admin form would write the row and skip all of that. So the admin classes of those models
are read-only for everyone, superusers too (`ReadOnlyAdmin`), and their lists, object pages,
filters and pop-ups are scoped by location (`ScopedAdmin`) for anyone who is not an owner.
"""

from django.contrib import admin
from django.db.models import QuerySet

from .roles import location_ids_of


def scope_to_locations(queryset: QuerySet, user, location_path: str) -> QuerySet:
    """The rows whose `location_path` (a lookup ending at a Location) is one of the user's
    locations; every row for an owner or a superuser."""
    location_ids = location_ids_of(user)
    if location_ids is None:
        return queryset
    matching = queryset.filter(**{f"{location_path}__in": location_ids})
    # A path through a many-to-many (a user's locations) repeats a row once a location.
    return queryset.filter(pk__in=matching.values("pk"))


class ScopedMixin:
    """Rows scoped to the viewer's locations. Set `location_path`, or override `visible_to`
    to use the app's own selector (the one its pages use)."""

    location_path: str = ""

    def visible_to(self, queryset: QuerySet, user) -> QuerySet:
        return scope_to_locations(queryset, user, self.location_path)

    def get_queryset(self, request):
        # The list, the object pages (get_object reads this), history, delete, actions and
        # raw-id pop-ups all start here.
        return self.visible_to(super().get_queryset(request), request.user)  # type: ignore[misc]  # a ModelAdmin mixin


class ReadOnlyMixin:
    """No add, change or delete from the back office, for anyone: changes go through the
    services. Admin actions that call a service (anonymise) have their own permission."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedAdmin(ScopedMixin, admin.ModelAdmin):
    """A model whose rows belong to a location (writable where its admin allows)."""

    # Filter choices (locations, people) come from the scoped rows, not every row in the table.
    show_full_result_count = False


class ReadOnlyAdmin(ReadOnlyMixin, ScopedAdmin):
    pass


class ReadOnlyInline(ReadOnlyMixin, ScopedMixin, admin.TabularInline):
    extra = 0
    can_delete = False


class SuperuserOnlyMixin:
    """Pages for whoever runs the system, not for any role: the beat schedule (a periodic task
    runs any registered task with any arguments), sign-in records (every location's names and
    addresses) and the role groups (their permissions are set in code, accounts/roles.py)."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request, *args):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser
