from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin import widgets
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from .backoffice import ScopedAdmin, ScopedMixin, SuperuserOnlyMixin
from .forms import OpeningHoursFormSet
from .models import ClosedDate, Location, OpeningHours, User
from .roles import sees_all_locations


class OpeningHoursInline(admin.TabularInline):
    """The week's opening hours; none at all means open round the clock."""

    model = OpeningHours
    formset = OpeningHoursFormSet
    extra = 0
    # Hours and minutes, as on a shop door (the admin's default shows seconds too).
    formfield_overrides = {models.TimeField: {"widget": widgets.AdminTimeWidget(format="%H:%M")}}
    verbose_name_plural = _("opening hours (none: open round the clock; a day without hours is closed)")


class ClosedDateInline(admin.TabularInline):
    model = ClosedDate
    extra = 0
    verbose_name_plural = _("closed dates (besides the country's public holidays)")


@admin.register(Location)
class LocationAdmin(ScopedAdmin):
    """Owners add and rename locations here (there is no page for it in the app), and set their
    working time: time zone, public holidays, opening hours and closed dates."""

    location_path = "pk"
    list_display = ["name", "code", "is_active", "monthly_budget", "typical_yearly_value", "time_zone"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [OpeningHoursInline, ClosedDateInline]


@admin.register(User)
class UserAdmin(ScopedMixin, BaseUserAdmin):
    location_path = "locations"
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("Amends", {"fields": ["locations", "authority_limit"]}))
    filter_horizontal = ["groups", "user_permissions", "locations"]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["groups", ("locations", admin.RelatedOnlyFieldListFilter), "is_active"]

    def get_readonly_fields(self, request, obj=None):
        # Who is staff, superuser or in which role is for a superuser to say, so nobody
        # given the right to edit people can raise their own authority.
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        fixed = ["is_staff", "is_superuser", "groups", "user_permissions", "authority_limit"]
        # Nor can someone who sees only some locations place people (themselves) at others.
        return fixed if sees_all_locations(request.user) else [*fixed, "locations"]


def _superuser_only(model) -> None:
    """Re-register a third-party model's admin so only a superuser sees or changes it."""
    original = type(admin.site.get_model_admin(model))
    admin.site.unregister(model)
    admin.site.register(model, type(original.__name__, (SuperuserOnlyMixin, original), {}))


for _model in (
    PeriodicTask,
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    SolarSchedule,
    AccessAttempt,
    AccessLog,
    AccessFailureLog,
    Group,
):
    _superuser_only(_model)
