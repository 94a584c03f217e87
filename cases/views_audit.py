"""The audit trail page: owners read, filter and export the event log. Nobody edits it."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from core.csv_export import csv_response
from core.pagination import page_of

from .audit_trail import CSV_HEADER, audit_entries, audit_rows
from .models import Event

PER_PAGE = 50


class AuditTrailView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "cases/audit_trail.html"
    permission_required = "cases.view_audit_trail"

    def get(self, request, *args, **kwargs):
        entries = audit_entries(request.GET, request.user)
        if request.GET.get("export") == "csv" and entries.is_valid():
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return csv_response(f"amends-audit-{stamp}.csv", CSV_HEADER, audit_rows(entries.qs))
        page = page_of(entries.qs if entries.is_valid() else Event.objects.none(), request.GET.get("page"), PER_PAGE)
        # On a phone the filters fold away unless some are set (or wrong): what was asked stays in view.
        filtered = any(value for name, value in request.GET.items() if name in entries.form.fields)
        return self.render_to_response(self.get_context_data(filter=entries, page=page, filtered=filtered))
