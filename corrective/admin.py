from django.contrib import admin

from .models import CorrectiveAction, CorrectiveActionCase


class CorrectiveActionCaseInline(admin.TabularInline):
    """Read-only: links are made on the action's page, where the timeline records them."""

    model = CorrectiveActionCase
    extra = 0
    fields = ["case", "linked_by", "linked_at", "followup", "not_told_reason"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(admin.ModelAdmin):
    """Changes go through the app's pages (services write the case timelines and tell the
    customers); the back office looks."""

    list_display = ["title", "kind", "state", "owner", "location", "due_date", "done_at"]
    list_filter = ["state", "kind", "location"]
    list_select_related = ["owner", "location"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "created_by", "done_by"]
    readonly_fields = ["state", "created_at", "created_by", "done_at", "done_by"]
    inlines = [CorrectiveActionCaseInline]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False


@admin.register(CorrectiveActionCase)
class CorrectiveActionCaseAdmin(admin.ModelAdmin):
    list_display = ["action", "case", "linked_by", "linked_at", "followup", "not_told_reason"]
    list_select_related = ["action", "case", "linked_by", "followup"]
    raw_id_fields = ["action", "case", "linked_by", "followup"]
    readonly_fields = ["action", "case", "linked_by", "linked_at", "followup", "not_told_reason"]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False
