from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin

from .models import SatisfactionResponse


@admin.register(SatisfactionResponse)
class SatisfactionResponseAdmin(ReadOnlyAdmin):
    """Read-only: these are the customer's own words."""

    location_path = "case__location"
    list_display = ["case", "rating", "will_return", "created_at"]
    list_filter = ["rating", "will_return"]
    raw_id_fields = ["case"]
    date_hierarchy = "created_at"
