"""Corrective actions over the API: list (the list page's filters), record one, read one with its
linked cases, link a case, mark it done (its customers are told). Through corrective's form,
selectors and services: only someone who can see every case an action is linked to changes it."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from accounts.roles import locations_of
from cases.models import Case
from cases.selectors import cases_visible_to
from core.exceptions import ApplicationError
from corrective import services
from corrective.forms import STATE_FILTERS, ActionFilterForm, ActionForm, CompleteForm
from corrective.models import CorrectiveAction
from corrective.selectors import action_cases, action_get, action_list, possible_owners

from ..serializers_work import (
    CompleteIn,
    CorrectiveActionDetailOut,
    CorrectiveActionIn,
    CorrectiveActionListOut,
    CorrectiveQuery,
    LinkCaseIn,
)
from .base import ApiView, as_checkboxes, check_form, refused_as

VIEW = ("corrective.view_correctiveaction",)
ADD = ("corrective.view_correctiveaction", "corrective.add_correctiveaction")
CHANGE = ("corrective.view_correctiveaction", "corrective.change_correctiveaction")


def api_field(name: str) -> str:
    """A service's field as the API names it: a case is sent by its id."""
    return "case" if name == "reference" else name


def visible_case(actor, case_id: int | None) -> Case | None:
    """The case `case_id` names among those the token may see; a 422 on `case` if none."""
    if case_id is None:
        return None
    case = cases_visible_to(actor).select_related("location", "customer").filter(pk=case_id).first()
    if case is None:
        raise ApplicationError(services.NOT_YOUR_CASE.format(reference=Case(pk=case_id).reference), field="case")
    return case


class CorrectiveActionListView(ApiView):
    permissions = {"GET": VIEW, "POST": ADD}

    @extend_schema(
        operation_id="corrective_actions_list",
        parameters=[
            OpenApiParameter(
                "state",
                str,
                enum=[value for value, _label in STATE_FILTERS if value],
                description=_("`active` (the default): open or in progress."),
            ),
            OpenApiParameter("overdue", bool, description=_("Only those past their due date.")),
        ],
        responses=CorrectiveActionListOut(many=True),
    )
    def get(self, request):
        """The actions this token may see (its locations' and the business-wide ones), soonest due first."""
        typed = self.validated(CorrectiveQuery, request.query_params.dict())
        query = as_checkboxes(request.query_params, typed, "overdue")
        query.setdefault("state", "active")
        form = ActionFilterForm(query)
        check_form(form)
        actions = action_list(self.actor, state=form.cleaned_data["state"], overdue=form.cleaned_data["overdue"])
        page = self.paginate_queryset(actions)
        return self.get_paginated_response(CorrectiveActionListOut(page, many=True).data)

    @extend_schema(
        operation_id="corrective_actions_create", request=CorrectiveActionIn, responses={201: CorrectiveActionDetailOut}
    )
    def post(self, request):
        """Record a fix of the cause, at one of this token's locations or business-wide, optionally
        linked at once to the case it came from."""
        return self.create(self._create)

    def _create(self) -> Response:
        data = self.validated(CorrectiveActionIn, self.request.data)
        form = ActionForm(
            data=form_data(data),
            locations=locations_of(self.actor, active_only=True),
            owners=possible_owners(self.actor),
        )
        check_form(form)
        case = visible_case(self.actor, data.get("case"))
        location = form.cleaned_data["location"]
        try:
            action = services.corrective_action_create(
                actor=self.actor, details=form.details(), location_id=location.pk if location else None, case=case
            )
        except ApplicationError as error:
            raise refused_as(error, api_field) from error
        url = reverse("api:corrective_action", kwargs={"pk": action.pk})
        return Response(detail(self.actor, action.pk), status=status.HTTP_201_CREATED, headers={"Location": url})


def form_data(data: dict[str, Any]) -> dict[str, Any]:
    """What the API was sent, as the action form's fields."""
    return {
        "title": data["title"],
        "kind": data["kind"],
        "description": data["description"],
        "location": data.get("location") or "",
        "owner": data["owner"],
        "due_date": data["due_date"],
        "customer_message": data.get("customer_message", ""),
        "case_reference": "",
    }


def detail(actor, pk: int) -> dict:
    action = action_get(actor, pk)
    return CorrectiveActionDetailOut(action, context={"linked": action_cases(action, actor)}).data


class CorrectiveActionDetailView(ApiView):
    permissions = {"GET": VIEW}

    @extend_schema(operation_id="corrective_actions_retrieve", responses=CorrectiveActionDetailOut)
    def get(self, request, pk: int):
        return Response(detail(self.actor, pk))


class CorrectiveActionChangeView(ApiView):
    """A change to one action; found (or a 404) before anything is read of the body."""

    permissions = {"POST": CHANGE}

    def post(self, request, pk: int):
        action = action_get(self.actor, pk)
        return self.create(lambda: self.act(action))

    def act(self, action: CorrectiveAction) -> Response:
        raise NotImplementedError


class CorrectiveActionLinkView(CorrectiveActionChangeView):
    @extend_schema(
        operation_id="corrective_actions_link_case",
        request=LinkCaseIn,
        responses={201: CorrectiveActionDetailOut, 200: CorrectiveActionDetailOut},
    )
    def post(self, request, pk: int):
        """Say that this action fixes the cause of a case (201; 200 if it already did)."""
        return super().post(request, pk)

    def act(self, action: CorrectiveAction) -> Response:
        data = self.validated(LinkCaseIn, self.request.data)
        case = visible_case(self.actor, data["case"])
        assert case is not None  # the field is required
        try:
            _link, created = services.corrective_action_link_case(action=action, case=case, actor=self.actor)
        except ApplicationError as error:
            raise refused_as(error, api_field) from error
        return Response(
            detail(self.actor, action.pk), status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )


class CorrectiveActionCompleteView(CorrectiveActionChangeView):
    @extend_schema(operation_id="corrective_actions_complete", request=CompleteIn, responses=CorrectiveActionDetailOut)
    def post(self, request, pk: int):
        """The fix is in place: mark the action done, and each linked customer who agreed to be
        contacted is told `message` (a follow-up each; `cases[].communication` says how). Done
        twice tells nobody twice."""
        return super().post(request, pk)

    def act(self, action: CorrectiveAction) -> Response:
        data = self.validated(CompleteIn, self.request.data)
        form = CompleteForm(data={"message": data["message"]})
        check_form(form)
        services.corrective_action_complete(action=action, actor=self.actor, message=form.cleaned_data["message"])
        return Response(detail(self.actor, action.pk))
