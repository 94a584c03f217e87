"""The audit log over the API, for owners: the whole event log, newest first, narrowed by the
audit trail page's own filters (cases/audit_trail.py)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema

from cases.audit_trail import TOPICS, audit_entries
from cases.events import Kind

from ..serializers_work import AuditEntryOut, AuditQuery
from .base import ApiView, check_form

FILTERS = [
    OpenApiParameter("topic", str, enum=[value for value, _label in TOPICS], description=_("What it is about.")),
    OpenApiParameter("kind", str, enum=Kind.values, description=_("What happened, exactly.")),
    OpenApiParameter("actor", int, description=_("Who: a person's (or an integration's) id.")),
    OpenApiParameter("location", int, description=_("A location's id.")),
    OpenApiParameter("since", OpenApiTypes.DATE, description=_("From this day (the business's time zone).")),
    OpenApiParameter("until", OpenApiTypes.DATE, description=_("To this day, inclusive.")),
    OpenApiParameter("q", str, description=_("A case's reference (SR-000123) or a subject (user:12).")),
]


class AuditLogView(ApiView):
    permissions = {"GET": ("cases.view_audit_trail",)}

    @extend_schema(operation_id="audit_list", parameters=FILTERS, responses=AuditEntryOut(many=True))
    def get(self, request):
        """Every change, by anyone, newest first (owners only; an integration acting as an owner
        reads its own location's)."""
        self.validated(AuditQuery, request.query_params.dict())
        entries = audit_entries(request.query_params, request.user)
        if not entries.is_valid():
            check_form(entries.form)
        page = self.paginate_queryset(entries.qs)
        return self.get_paginated_response(AuditEntryOut(page, many=True).data)
