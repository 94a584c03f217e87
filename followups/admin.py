from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin

from .models import DigestLog, FollowUp, MessageTemplate


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    """Follow-ups are planned, moved, cancelled and tried again on the case page and under
    Follow-ups (followups/services), which check who may and write the timeline."""

    location_path = "case__location"
    list_display = ["case", "purpose", "channel", "due_at", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "purpose", "channel"]
    raw_id_fields = ["case", "recipient", "created_by", "done_by"]
    list_select_related = ["case"]
    date_hierarchy = "due_at"


@admin.register(MessageTemplate)
class MessageTemplateAdmin(ReadOnlyAdmin):
    """Owners edit the wording in the app (Messages), with a preview; this is the record. The
    words are the whole business's, so they are not scoped."""

    list_display = ["purpose", "subject", "updated_at", "updated_by"]

    def visible_to(self, queryset, user):
        return queryset


@admin.register(DigestLog)
class DigestLogAdmin(ReadOnlyAdmin):
    location_path = "user__locations"
    list_display = ["user", "day", "sent_at"]
    list_filter = ["day"]
    raw_id_fields = ["user"]
