from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin, ReadOnlyInline

from .models import CorrectiveAction, CorrectiveActionCase
from .selectors import actions_visible_to

LINK_FIELDS = ("case", "linked_by", "linked_at", "followup", "not_told_reason")


class CorrectiveActionCaseInline(ReadOnlyInline):
    """Links are made on the action's page, where the timeline records them. A business-wide
    action's cases at other locations are not listed."""

    model = CorrectiveActionCase
    location_path = "case__location"
    fields = readonly_fields = LINK_FIELDS


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(ReadOnlyAdmin):
    """Changes go through the app's pages (services write the case timelines and tell the
    customers); the back office looks."""

    list_display = ["title", "kind", "state", "owner", "location", "due_date", "done_at"]
    list_filter = ["state", "kind", ("location", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["owner", "location"]
    search_fields = ["title"]
    raw_id_fields = ["owner", "created_by", "done_by"]
    inlines = [CorrectiveActionCaseInline]

    def visible_to(self, queryset, user):
        return queryset & actions_visible_to(user)


@admin.register(CorrectiveActionCase)
class CorrectiveActionCaseAdmin(ReadOnlyAdmin):
    location_path = "case__location"
    list_display = ["action", "case", "linked_by", "linked_at", "followup", "not_told_reason"]
    list_select_related = ["action", "case", "linked_by", "followup"]
    raw_id_fields = ["action", "case", "linked_by", "followup"]
