from django.contrib import admin

from .models import DigestLog, FollowUp, MessageTemplate


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["case", "purpose", "channel", "due_at", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "purpose", "channel"]
    raw_id_fields = ["case", "recipient", "created_by", "done_by"]
    list_select_related = ["case"]
    readonly_fields = ["attempts", "claimed_until", "sent_at", "last_error"]
    date_hierarchy = "due_at"
    show_full_result_count = False


@admin.register(MessageTemplate)
class MessageTemplateAdmin(admin.ModelAdmin):
    """Owners edit the wording in the app (Messages), with a preview; this is the record."""

    list_display = ["purpose", "subject", "updated_at", "updated_by"]
    readonly_fields = ["updated_at", "updated_by"]


@admin.register(DigestLog)
class DigestLogAdmin(admin.ModelAdmin):
    list_display = ["user", "day", "sent_at"]
    list_filter = ["day"]
    raw_id_fields = ["user"]
