"""Cases over the API: log one, list them with the page's filters, read one with its timeline,
move it through its life, note on it, assign it. Each through the page's selector, form and
service: a case at another location is a 404 here as there."""

import uuid
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.models import User
from cases import services
from cases.filters import CaseFilter
from cases.forms import case_open_form
from cases.models import Case, Category
from cases.selectors import case_get, case_list
from cases.states import Outcome, State
from core.exceptions import ApplicationError

from ..models import ApiToken
from ..serializers import (
    AssignIn,
    CaseCreateIn,
    CaseDetailOut,
    CaseOut,
    CaseQuery,
    EventOut,
    NoteIn,
    TransitionIn,
)
from .base import ApiView, as_checkboxes, check_form, refused_as

VIEW = ("cases.view_case",)
ADD = ("cases.view_case", "cases.add_case")
CHANGE = ("cases.view_case", "cases.change_case")

NEW_CUSTOMER_FIELDS = ("name", "email", "phone", "preferred_channel", "contact_consent")


def api_field(name: str) -> str:
    """The new-case form's field (or a service's) as the API names it: the new customer's
    fields are inside `new_customer`."""
    if name.startswith("new_") and name != "new_customer":
        return f"new_customer.{name.removeprefix('new_')}"
    return f"new_customer.{name}" if name in ("name", "email", "phone") else name


def form_data(data: dict[str, Any], token: ApiToken | None, user: User) -> dict[str, Any]:
    """What the API was sent, as the new-case form's fields."""
    location = data.get("location") or (token.location_id if token is not None else None)
    if location is None and (only := list(user.locations.filter(is_active=True).values_list("pk", flat=True)[:2])):
        location = only[0] if len(only) == 1 else None
    values: dict[str, Any] = {
        **{name: value for name, value in data.items() if name not in ("new_customer", "location")},
        "submission_token": uuid.uuid4(),  # the API's retries are the Idempotency-Key's to answer
        "location": location,
        "occurred_at": data.get("occurred_at") or timezone.now(),
        "new_preferred_channel": "email",
    }
    for name, value in (data.get("new_customer") or {}).items():
        values[f"new_{name}"] = value
    return values


FILTERS = [
    OpenApiParameter(
        "q", str, description=_("Reference, customer's name, email or phone, or words of the description.")
    ),
    OpenApiParameter("state", str, enum=["active", *State._value2member_map_], description=_("`active`: not closed.")),
    OpenApiParameter("category", str, enum=Category.values),
    OpenApiParameter("severity", str, enum=["minor", "moderate", "major", "severe"]),
    OpenApiParameter("location", int, description=_("A location's id.")),
    OpenApiParameter("assignee", str, description=_("A person's id, `me` or `none`.")),
    OpenApiParameter("overdue", bool, description=_("Only cases past their first-contact deadline.")),
    OpenApiParameter("created_from", OpenApiTypes.DATE),
    OpenApiParameter("created_to", OpenApiTypes.DATE),
    OpenApiParameter("customer", int, description=_("A customer's id.")),
    OpenApiParameter("sort", str, enum=["newest", "oldest", "due"], description=_("Newest first by default.")),
]


class CaseListView(ApiView):
    permissions = {"GET": VIEW, "POST": ADD}

    @extend_schema(operation_id="cases_list", parameters=FILTERS, responses=CaseOut(many=True))
    def get(self, request):
        """The cases this token may see, filtered as the case list page filters them."""
        query = self.validated(CaseQuery, request.query_params.dict())
        params = as_checkboxes(request.query_params, query, "overdue")
        case_filter = CaseFilter(params, queryset=case_list(self.actor), user=self.actor)
        if not case_filter.is_valid():
            check_form(case_filter.form)
        page = self.paginate_queryset(case_filter.qs)
        return self.get_paginated_response(CaseOut(page, many=True).data)

    @extend_schema(operation_id="cases_create", request=CaseCreateIn, responses={201: CaseDetailOut})
    def post(self, request):
        """Log an incident (the new-case page's form and service: the same checks and messages)."""
        return self.create(self._open)

    def _open(self) -> Response:
        data = self.validated(CaseCreateIn, self.request.data)
        form = case_open_form(self.actor, data=form_data(data, self.token, self.actor))
        check_form(form, api_field)
        try:
            case, _ = services.case_open(
                actor=self.actor,
                details=form.incident(),
                customer=form.cleaned_data.get("customer"),
                new_customer=form.new_customer(),
                submission_token=form.cleaned_data["submission_token"],
            )
        except ApplicationError as error:
            raise refused_as(error, api_field) from error
        url = reverse("api:case", kwargs={"pk": case.pk})
        body = CaseDetailOut(case_get(self.actor, case.pk)).data
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})


class CaseDetailView(ApiView):
    permissions = {"GET": VIEW}

    @extend_schema(operation_id="cases_retrieve", responses=CaseDetailOut)
    def get(self, request, pk: int):
        """A case with its timeline (the event log's entries for it, oldest first)."""
        return Response(CaseDetailOut(case_get(self.actor, pk)).data)


class CaseActionView(ApiView):
    """A change to one case; the case is found (or a 404) before anything is read of the body."""

    permissions = {"POST": CHANGE}

    def post(self, request, pk: int):
        case = case_get(self.actor, pk)
        return self.create(lambda: self.act(case))

    def act(self, case: Case) -> Response:
        raise NotImplementedError


class CaseTransitionView(CaseActionView):
    @extend_schema(operation_id="cases_transition", request=TransitionIn, responses=CaseDetailOut)
    def post(self, request, pk: int):
        """Move the case to another state its life allows (closing takes an outcome)."""
        return super().post(request, pk)

    def act(self, case: Case) -> Response:
        data = self.validated(TransitionIn, self.request.data)
        outcome = Outcome(data["outcome"]) if data.get("outcome") else None
        services.case_transition(
            case=case,
            actor=self.actor,
            to_state=State(data["to_state"]),
            outcome=outcome,
            note=data.get("note", ""),
            expected_state=data.get("expected_state"),
        )
        return Response(CaseDetailOut(case_get(self.actor, case.pk)).data)


class CaseNoteView(CaseActionView):
    @extend_schema(operation_id="cases_note", request=NoteIn, responses={201: EventOut})
    def post(self, request, pk: int):
        """Put a note on the case's timeline."""
        return super().post(request, pk)

    def act(self, case: Case) -> Response:
        data = self.validated(NoteIn, self.request.data)
        event = services.case_add_note(case=case, actor=self.actor, note=data["note"])
        return Response(EventOut(event).data, status=status.HTTP_201_CREATED)


class CaseAssignView(CaseActionView):
    @extend_schema(operation_id="cases_assign", request=AssignIn, responses=CaseDetailOut)
    def post(self, request, pk: int):
        """Give the case to someone at its location, or to nobody (`null`)."""
        return super().post(request, pk)

    def act(self, case: Case) -> Response:
        data = self.validated(AssignIn, self.request.data)
        services.case_assign(case=case, actor=self.actor, assignee_id=data["assignee"])
        return Response(CaseDetailOut(case_get(self.actor, case.pk)).data)
