from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin, ReadOnlyInline

from .models import Case, Event
from .selectors import cases_visible_to

EVENT_FIELDS = ("created_at", "kind", "actor", "ip", "note", "payload")


class EventInline(ReadOnlyInline):
    model = Event
    location_path = "location"
    fields = readonly_fields = EVENT_FIELDS


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    """A case changes on its page (case_transition, notes, assignment), where the timeline
    records it and the follow-ups follow."""

    list_display = ["reference", "customer", "location", "category", "severity", "state", "created_at"]
    list_filter = ["state", "severity", "category", ("location", admin.RelatedOnlyFieldListFilter), "channel"]
    search_fields = ["customer__name", "customer__email", "description"]
    list_select_related = ["customer", "location"]
    raw_id_fields = ["customer", "assignee", "created_by"]
    date_hierarchy = "created_at"
    inlines = [EventInline]

    def visible_to(self, queryset, user):
        return queryset & cases_visible_to(user)

    @admin.display(ordering="pk")
    def reference(self, case):
        return case.reference


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    """The event log (timeline and audit trail) is written by cases.events only, so it stays
    true: here it is read, never added to, changed or deleted."""

    location_path = "location"
    list_display = ["created_at", "kind", "case", "subject", "actor", "ip"]
    list_filter = ["kind"]
    search_fields = ["subject", "note"]
    raw_id_fields = ["case", "actor", "location"]
    list_select_related = ["case", "actor"]
    date_hierarchy = "created_at"
