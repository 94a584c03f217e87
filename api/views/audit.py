"""The audit log over the API, for owners: the whole event log, newest first, narrowed by the
audit trail page's own filters (cases/audit_trail.py)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from cases.audit_trail import TOPICS, audit_entries
from cases.events import Kind

from ..serializers_work import AuditEntryOut
from .base import ApiView, check_form

FILTERS = [
    OpenApiParameter("topic", str, enum=[value for value, _label in TOPICS], description="What it is about."),
    OpenApiParameter("kind", str, enum=Kind.values, description="What happened, exactly."),
    OpenApiParameter("actor", int, description="Who: a person's (or an integration's) id."),
    OpenApiParameter("location", int, description="A location's id."),
    OpenApiParameter("since", OpenApiTypes.DATE, description="From this day (the business's time zone)."),
    OpenApiParameter("until", OpenApiTypes.DATE, description="To this day, inclusive."),
    OpenApiParameter("q", str, description="A case's reference (SR-000123) or a subject (user:12)."),
]


class AuditLogView(ApiView):
    permissions = {"GET": ("cases.view_audit_trail",)}

    @extend_schema(operation_id="audit_list", parameters=FILTERS, responses=AuditEntryOut(many=True))
    def get(self, request):
        """Every change, by anyone, at every location, newest first (owners only)."""
        entries = audit_entries(request.query_params)
        if not entries.is_valid():
            check_form(entries.form)
        page = self.paginate_queryset(entries.qs)
        return self.get_paginated_response(AuditEntryOut(page, many=True).data)
