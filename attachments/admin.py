from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin

from .models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    """Read-only and scoped like the case it belongs to; the file itself is served only by the
    case page (attachments.views), so neither it nor its stored name shows here."""

    list_display = ["original_name", "case", "content_type", "size", "source", "created_at"]
    list_filter = ["source", "content_type"]
    exclude = ["file", "thumbnail"]
    location_path = "case__location"
