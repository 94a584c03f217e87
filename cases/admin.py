from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin, ReadOnlyInline

from .models import Case, CaseEvent
from .selectors import cases_visible_to

EVENT_FIELDS = ("created_at", "kind", "actor", "from_state", "to_state", "note")


class CaseEventInline(ReadOnlyInline):
    model = CaseEvent
    location_path = "case__location"
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
    inlines = [CaseEventInline]

    def visible_to(self, queryset, user):
        return queryset & cases_visible_to(user)

    @admin.display(ordering="pk")
    def reference(self, case):
        return case.reference


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    """The timeline is written by the services only, so it stays true."""

    location_path = "case__location"
    list_display = ["case", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "actor"]
    list_select_related = ["case", "actor"]
