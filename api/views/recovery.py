"""The recovery side over the API: a case's suggestions with their evidence, proposals (offer
one, read it, the approval queue, decide or amend it) and remedies delivered. Each through the
pages' selectors, forms and services (recovery.selectors, recovery.forms, recovery.services):
the same authority limits, caps and budgets, the same messages."""

import uuid
from functools import partial
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from cases.models import Case
from cases.selectors import case_get, cases_visible_to
from recovery import services
from recovery.forms import DecisionForm, DeliveryForm, LineForm, ProposalForm
from recovery.models import Proposal, ProposalLine
from recovery.outcome_selectors import evidence_for
from recovery.selectors import approval_queue, proposal_get, proposals_visible_to, recovery_panel

from ..serializers_recovery import (
    DecisionIn,
    DeliveryIn,
    ProposalCreateIn,
    ProposalOut,
    SuggestionsOut,
)
from .base import ApiView, check_form

VIEW = ("cases.view_case", "recovery.view_proposal")
ADD = ("cases.view_case", "recovery.view_proposal", "recovery.add_proposal")
DECIDE = ("recovery.view_proposal", "recovery.decide_proposal")
DELIVER = ("cases.view_case", "recovery.view_proposal", "recovery.change_proposal")


def in_line(place: str, name: str) -> str:
    return f"{place}.{name}"


def line_inputs(lines: list[dict[str, Any]], prefix: str = "lines") -> list[services.LineInput]:
    """The remedies sent, each checked by the page's own line form (its messages, under
    `lines.<n>.<field>`)."""
    chosen = []
    for index, line in enumerate(lines):
        form = LineForm(
            data={
                "kind": line["kind"],
                "face_value": "" if line.get("face_value") is None else str(line["face_value"]),
                "percent": "" if line.get("percent") is None else str(line["percent"]),
                "reason": line.get("reason", ""),
            }
        )
        check_form(form, partial(in_line, f"{prefix}.{index}"))
        chosen.append(form.line_input())
    return chosen


def with_lines(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    return proposals.select_related("case", "proposed_by", "decided_by").prefetch_related(
        "lines", "lines__delivered_by"
    )


class SuggestionListView(ApiView):
    permissions = {"GET": VIEW}
    pagination_class = None

    @extend_schema(operation_id="cases_suggestions", responses=SuggestionsOut)
    def get(self, request, pk: int):
        """The ranked options for this case as this token would grant them, each with what similar
        cases say and any earlier rejection of the same remedies: what the case page shows. None
        while a remedy is agreed or awaiting approval, or once the case is past recovery."""
        panel = recovery_panel(case_get(self.actor, pk), self.actor)
        return Response(SuggestionsOut({"next": None, "results": panel.suggestion_cards}).data)


class CaseProposalListView(ApiView):
    permissions = {"GET": VIEW, "POST": ADD}

    @extend_schema(operation_id="cases_proposals_list", responses=ProposalOut(many=True))
    def get(self, request, pk: int):
        """The case's proposals, newest first, with their remedies."""
        case = case_get(self.actor, pk)
        page = self.paginate_queryset(with_lines(proposals_visible_to(self.actor).filter(case=case)))
        return self.get_paginated_response(ProposalOut(page, many=True).data)

    @extend_schema(operation_id="cases_proposals_create", request=ProposalCreateIn, responses={201: ProposalOut})
    def post(self, request, pk: int):
        """Offer the customer remedies: a suggestion as it stands (`rank`) or your own (`lines`).
        Within your authority it is approved at once (`state`: approved); above it, or past the
        location's budget, it waits for a manager or an owner (`state`: pending, `approver_role`)."""
        case = case_get(self.actor, pk)
        return self.create(lambda: self._propose(case))

    def _propose(self, case: Case) -> Response:
        data = self.validated(ProposalCreateIn, self.request.data)
        token = uuid.uuid4()  # the API's retries are the Idempotency-Key's to answer
        if "rank" in data:
            proposal, _ = services.proposal_take(case=case, actor=self.actor, rank=data["rank"], submission_token=token)
        else:
            chosen = line_inputs(data["lines"])
            form = ProposalForm(
                data={
                    "submission_token": token,
                    "title": data.get("title") or ProposalForm.base_fields["title"].initial,
                    "below_floor_reason": data.get("below_floor_reason", ""),
                }
            )
            check_form(form)
            proposal, _ = services.proposal_create(
                case=case,
                actor=self.actor,
                lines=chosen,
                title=str(form.cleaned_data["title"]),
                submission_token=token,
                below_floor_reason=form.cleaned_data["below_floor_reason"],
                evidence=evidence_for(case, self.actor, chosen).to_json(),
            )
        body = ProposalOut(proposal_get(self.actor, proposal.pk)).data
        url = reverse("api:proposal", kwargs={"pk": proposal.pk})
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": url})


class ApprovalQueueView(ApiView):
    permissions = {"GET": DECIDE}

    @extend_schema(operation_id="approvals_list", responses=ProposalOut(many=True))
    def get(self, request):
        """The proposals waiting for this token's decision, oldest first: at its locations, not
        its own, and those needing an owner only for an owner (the approval queue page's)."""
        page = self.paginate_queryset(with_lines(approval_queue(self.actor)))
        return self.get_paginated_response(ProposalOut(page, many=True).data)


class ProposalDetailView(ApiView):
    permissions = {"GET": VIEW}

    @extend_schema(operation_id="proposals_retrieve", responses=ProposalOut)
    def get(self, request, pk: int):
        return Response(ProposalOut(proposal_get(self.actor, pk)).data)


class ProposalDecisionView(ApiView):
    permissions = {"POST": DECIDE}

    @extend_schema(operation_id="proposals_decide", request=DecisionIn, responses=ProposalOut)
    def post(self, request, pk: int):
        """Approve, reject (with a reason) or amend (other remedies, with a reason) a pending
        proposal, once. Send the `revision` you read: if it changed since, or someone decided
        first, a 409. Beyond your own limit an approval is passed up to an owner: the answer is
        still pending, `approver_role` Owner."""
        proposal = proposal_get(self.actor, pk)
        return self.create(lambda: self._decide(proposal))

    def _decide(self, proposal: Proposal) -> Response:
        data = self.validated(DecisionIn, self.request.data)
        form = DecisionForm(data={key: data.get(key, "") for key in ("decision", "reason", "revision")})
        check_form(form)
        if data["decision"] == "amend":
            decided = services.proposal_amend(
                proposal=proposal,
                actor=self.actor,
                lines=line_inputs(data["lines"]),
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
            )
        else:
            decided = services.proposal_decide(
                proposal=proposal,
                actor=self.actor,
                approve=data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
                expected_revision=form.cleaned_data["revision"],
            )
        return Response(ProposalOut(proposal_get(self.actor, decided.pk)).data)


class RemedyDeliveryView(ApiView):
    permissions = {"POST": DELIVER}

    @extend_schema(operation_id="remedies_deliver", request=DeliveryIn, responses=ProposalOut)
    def post(self, request, pk: int):
        """Record that this remedy (a line of an approved proposal) reached the customer. When
        every remedy has, the proposal is delivered and the case moves to remedy_delivered."""
        line = (
            ProposalLine.objects.filter(pk=pk, proposal__case__in=cases_visible_to(self.actor))
            .select_related("proposal")
            .first()
        )
        if line is None:
            raise Http404
        return self.create(lambda: self._deliver(line))

    def _deliver(self, line: ProposalLine) -> Response:
        data = self.validated(DeliveryIn, self.request.data)
        form = DeliveryForm(data={"line": line.pk, "reference": data.get("reference", "")})
        check_form(form)
        services.remedy_deliver(line=line, actor=self.actor, reference=form.cleaned_data["reference"])
        return Response(ProposalOut(proposal_get(self.actor, line.proposal_id)).data)
