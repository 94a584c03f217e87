from django.contrib import admin

from .models import Case, CaseEvent


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    fields = ["created_at", "kind", "actor", "from_state", "to_state", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        # The timeline is written by the services only, so it stays true.
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    list_display = ["reference", "customer", "location", "category", "severity", "state", "created_at"]
    list_filter = ["state", "severity", "category", "location", "channel"]
    search_fields = ["customer__name", "customer__email", "description"]
    list_select_related = ["customer", "location"]
    raw_id_fields = ["customer", "assignee", "created_by"]
    readonly_fields = ["reference", "submission_token", "created_at", "updated_at", "suggested_severity"]
    date_hierarchy = "created_at"
    inlines = [CaseEventInline]
    show_full_result_count = False

    @admin.display(ordering="pk")
    def reference(self, case):
        return case.reference


@admin.register(CaseEvent)
class CaseEventAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    raw_id_fields = ["case", "actor"]
    list_select_related = ["case", "actor"]
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False
