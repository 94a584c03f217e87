"""Serving a case's files: only through here, to someone who may see the case.

There is no public URL of a stored file (STORAGES["attachments"] has none): each request
resolves the case through the reader's locations (a case elsewhere is a 404, as the case
itself is) and sends the file with the type it was kept as, never sniffed by the browser.
Images show inline; PDFs are downloaded, never rendered in our origin.
"""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse, Http404
from django.utils.cache import patch_cache_control
from django.views import View

from accounts.http import AuthenticatedHttpRequest

from .selectors import attachment_get
from .validation import THUMBNAIL_TYPE


class AttachmentFileView(PermissionRequiredMixin, View):
    request: AuthenticatedHttpRequest
    permission_required = "cases.view_case"
    http_method_names = ["get", "head"]
    thumbnail = False

    def get(self, request, pk: int, attachment_id: int):
        attachment = attachment_get(request.user, pk, attachment_id)
        stored = attachment.thumbnail if self.thumbnail else attachment.file
        if not stored:
            raise Http404("This file has no thumbnail.")
        inline = attachment.is_image
        response = FileResponse(
            stored.open("rb"),
            content_type=THUMBNAIL_TYPE if self.thumbnail else attachment.content_type,
            as_attachment=not inline,
            filename=attachment.original_name,
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Nothing from the file may run in our origin, even if a browser were to render it.
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        patch_cache_control(response, private=True)
        return response
