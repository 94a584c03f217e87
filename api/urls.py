"""/api/: the schema, its docs, and the resources under /api/v1/."""

from django.urls import path, re_path, register_converter

from .views.audit import AuditLogView
from .views.cases import CaseAssignView, CaseDetailView, CaseListView, CaseNoteView, CaseTransitionView
from .views.corrective import (
    CorrectiveActionCompleteView,
    CorrectiveActionDetailView,
    CorrectiveActionLinkView,
    CorrectiveActionListView,
)
from .views.customers import CustomerDetailView, CustomerEraseView, CustomerExportView, CustomerListView
from .views.docs import DocsView, NotFoundView, SchemaView
from .views.followups import CaseFollowUpListView, FollowUpDoneView, FollowUpListView
from .views.recovery import (
    ApprovalQueueView,
    CaseProposalListView,
    ProposalDecisionView,
    ProposalDetailView,
    RemedyDeliveryView,
    SuggestionListView,
)

app_name = "api"


class IdConverter:
    """An id in a path: at most 18 digits, so that it fits a bigint; a longer one is a 404
    (the catch-all below), never a database error."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

urlpatterns = [
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", DocsView.as_view(), name="docs"),
    path("v1/customers/", CustomerListView.as_view(), name="customers"),
    path("v1/customers/<id:pk>/", CustomerDetailView.as_view(), name="customer"),
    path("v1/customers/<id:pk>/export/", CustomerExportView.as_view(), name="customer_export"),
    path("v1/customers/<id:pk>/erase/", CustomerEraseView.as_view(), name="customer_erase"),
    path("v1/cases/", CaseListView.as_view(), name="cases"),
    path("v1/cases/<id:pk>/", CaseDetailView.as_view(), name="case"),
    path("v1/cases/<id:pk>/transitions/", CaseTransitionView.as_view(), name="case_transition"),
    path("v1/cases/<id:pk>/notes/", CaseNoteView.as_view(), name="case_note"),
    path("v1/cases/<id:pk>/assignment/", CaseAssignView.as_view(), name="case_assign"),
    # Recovery: suggestions, proposals and their decisions, remedies delivered.
    path("v1/cases/<id:pk>/suggestions/", SuggestionListView.as_view(), name="case_suggestions"),
    path("v1/cases/<id:pk>/proposals/", CaseProposalListView.as_view(), name="case_proposals"),
    path("v1/approvals/", ApprovalQueueView.as_view(), name="approvals"),
    path("v1/proposals/<id:pk>/", ProposalDetailView.as_view(), name="proposal"),
    path("v1/proposals/<id:pk>/decision/", ProposalDecisionView.as_view(), name="proposal_decision"),
    path("v1/remedies/<id:pk>/delivery/", RemedyDeliveryView.as_view(), name="remedy_delivery"),
    # Follow-ups, corrective actions, the audit log.
    path("v1/cases/<id:pk>/followups/", CaseFollowUpListView.as_view(), name="case_followups"),
    path("v1/followups/", FollowUpListView.as_view(), name="followups"),
    path("v1/followups/<id:pk>/done/", FollowUpDoneView.as_view(), name="followup_done"),
    path("v1/corrective-actions/", CorrectiveActionListView.as_view(), name="corrective_actions"),
    path("v1/corrective-actions/<id:pk>/", CorrectiveActionDetailView.as_view(), name="corrective_action"),
    path("v1/corrective-actions/<id:pk>/cases/", CorrectiveActionLinkView.as_view(), name="corrective_action_link"),
    path(
        "v1/corrective-actions/<id:pk>/completion/",
        CorrectiveActionCompleteView.as_view(),
        name="corrective_action_complete",
    ),
    path("v1/audit/", AuditLogView.as_view(), name="audit"),
    re_path(r"^.*$", NotFoundView.as_view(), name="not_found"),
]
