from django.contrib import admin

from .models import SatisfactionResponse


@admin.register(SatisfactionResponse)
class SatisfactionResponseAdmin(admin.ModelAdmin):
    """Read-only: these are the customer's own words."""

    list_display = ["case", "rating", "will_return", "created_at"]
    list_filter = ["rating", "will_return"]
    raw_id_fields = ["case"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
