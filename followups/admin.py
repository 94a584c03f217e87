from django.contrib import admin

from .models import FollowUp


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ["case", "kind", "channel", "due_at", "state", "attempts", "sent_at", "last_error"]
    list_filter = ["state", "kind", "channel"]
    raw_id_fields = ["case", "recipient", "created_by"]
    list_select_related = ["case"]
    readonly_fields = ["attempts", "claimed_until", "sent_at", "last_error"]
    date_hierarchy = "due_at"
    show_full_result_count = False
