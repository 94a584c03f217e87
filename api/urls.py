"""/api/: the schema, its docs, and the resources under /api/v1/."""

from django.urls import path, re_path, register_converter

from .views.cases import CaseAssignView, CaseDetailView, CaseListView, CaseNoteView, CaseTransitionView
from .views.customers import CustomerDetailView, CustomerListView
from .views.docs import DocsView, NotFoundView, SchemaView

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
    path("v1/cases/", CaseListView.as_view(), name="cases"),
    path("v1/cases/<id:pk>/", CaseDetailView.as_view(), name="case"),
    path("v1/cases/<id:pk>/transitions/", CaseTransitionView.as_view(), name="case_transition"),
    path("v1/cases/<id:pk>/notes/", CaseNoteView.as_view(), name="case_note"),
    path("v1/cases/<id:pk>/assignment/", CaseAssignView.as_view(), name="case_assign"),
    re_path(r"^.*$", NotFoundView.as_view(), name="not_found"),
]
