"""Recovery pages: take a suggestion, the approval queue, deciding, delivering, the budget."""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from accounts.budgets import budget_in_force
from accounts.http import AuthenticatedHttpRequest
from accounts.role import A_ROLE
from accounts.roles import locations_of
from cases.selectors import case_get, customer_history
from core.exceptions import ApplicationError
from core.money import format_money
from core.pagination import page_of

from . import replays, services
from .evidence import Evidence
from .forms import (
    CATALOGUE_KINDS,
    POLICY_FIELDS,
    CatalogueFormSet,
    DecisionForm,
    DeliveryForm,
    LineFormSet,
    OverchargeForm,
    PolicyForm,
    PolicyQuery,
    ProposalEditQuery,
    ProposalForm,
    TakeSuggestionForm,
)
from .models import PolicyVersion, ProposalLine
from .outcome_selectors import evidence_for
from .policy import RemedyKind, RemedyType, Role
from .selectors import approval_queue, approval_queue_count, budget_used, policy_in_force, proposal_get
from .services import SUGGESTION_GONE
from .services import replays as replay_services

ALREADY_PROPOSED = _("That was already proposed; here is the case.")
PASSED_UP = _("Above your own limit: passed up to an owner.")
AMENDED_PASSED_UP = _("Amended, and above your own limit: passed up to an owner.")
NOT_ON_CASE = _("That remedy is not on this case.")


class TakeSuggestionView(PermissionRequiredMixin, View):
    """One click: offer the customer a suggested option as it stands."""

    request: AuthenticatedHttpRequest

    permission_required = "recovery.add_proposal"

    def post(self, request, pk):
        case = case_get(request.user, pk)
        form = TakeSuggestionForm(request.POST)
        if not form.is_valid():
            messages.error(request, SUGGESTION_GONE)
            return redirect(case)
        try:
            proposal, created = services.proposal_take(
                case=case,
                actor=request.user,
                rank=form.cleaned_data["rank"],
                submission_token=form.cleaned_data["submission_token"],
            )
        except ApplicationError as error:
            messages.error(request, error.message)
            return redirect(case)
        if not created:
            messages.info(request, ALREADY_PROPOSED)
        elif proposal.state == proposal.State.APPROVED:
            said = gettext("Approved: “{title}”. Give it to the customer and record it below.")
            messages.success(request, said.format(title=proposal.title))
        else:
            who = gettext(A_ROLE[Role(proposal.approver_role)])
            said = gettext("Sent for approval by {who}: {reason}.")
            messages.info(request, said.format(who=who, reason=proposal.approval_reason))
        return redirect(case)


class ProposalEditView(PermissionRequiredMixin, TemplateView):
    """Start from a suggestion and change it: remedies, amounts, reasons.

    Giving less than the smallest suggestion needs a reason, which is kept.
    """

    request: AuthenticatedHttpRequest

    template_name = "recovery/proposal_edit.html"
    permission_required = "recovery.add_proposal"
    query_form = ProposalEditQuery

    def get_context_data(self, **kwargs):
        case = kwargs.pop("case")
        if "form" not in kwargs:
            options = services.suggestions_for(case, self.request.user)
            rank = self.query_form(self.request.GET).rank()
            option = options[rank - 1] if rank <= len(options) else options[0]
            kwargs["form"] = ProposalForm(initial={"submission_token": uuid.uuid4(), "title": option.title})
            kwargs["lines"] = LineFormSet(
                initial=[
                    {"kind": ln.kind.value, "face_value": ln.face_value, "reason": ln.reason}
                    for ln in option.lines
                    if ln.kind is not RemedyKind.APOLOGY
                ]
            )
            kwargs["options"] = options
        return super().get_context_data(case=case, **kwargs)

    def get(self, request, pk):
        return self.render_to_response(self.get_context_data(case=case_get(request.user, pk)))

    def post(self, request, pk):
        case = case_get(request.user, pk)
        form, lines = ProposalForm(request.POST), LineFormSet(request.POST)
        if form.is_valid() and lines.is_valid():
            chosen = [line.line_input() for line in lines if line.cleaned_data.get("kind")]
            try:
                proposal, _created = services.proposal_create(
                    case=case,
                    actor=request.user,
                    lines=chosen,
                    title=form.cleaned_data["title"],
                    submission_token=form.cleaned_data["submission_token"],
                    below_floor_reason=form.cleaned_data["below_floor_reason"],
                    evidence=evidence_for(case, request.user, chosen).to_json(),
                )
            except ApplicationError as error:
                if error.field == "below_floor_reason":
                    form.add_error("below_floor_reason", error.message)
                else:
                    form.add_error(None, error.message)
            else:
                if proposal.state == proposal.State.APPROVED:
                    messages.success(request, gettext("Approved: “{title}”.").format(title=proposal.title))
                else:
                    who = gettext(A_ROLE[Role(proposal.approver_role)])
                    messages.info(request, gettext("Sent for approval by {who}.").format(who=who))
                return redirect(case)
        context = self.get_context_data(
            case=case, form=form, lines=lines, options=services.suggestions_for(case, request.user)
        )
        return self.render_to_response(context, status=400)


class ApprovalQueueView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "recovery/approval_queue.html"
    permission_required = "recovery.decide_proposal"

    per_page = 50

    def get_context_data(self, **kwargs):
        # A page at a time, oldest first, under the true count: a busy location can have hundreds
        # waiting, and drawing them all made this the slowest page a manager opens.
        page = page_of(approval_queue(self.request.user), self.request.GET.get("page"), self.per_page)
        return super().get_context_data(page=page, waiting=approval_queue_count(self.request.user), **kwargs)


class ProposalView(PermissionRequiredMixin, TemplateView):
    """A proposal with the whole case in view, and the decision."""

    request: AuthenticatedHttpRequest

    template_name = "recovery/proposal.html"
    permission_required = "recovery.view_proposal"

    def get_context_data(self, **kwargs):
        proposal = kwargs.pop("proposal", None) or proposal_get(self.request.user, self.kwargs["pk"])
        form = kwargs.pop("form", None) or DecisionForm(initial={"revision": proposal.revision})
        amend_lines = kwargs.pop("amend_lines", None) or LineFormSet(
            prefix="amend",
            initial=[
                {"kind": ln.kind, "face_value": ln.face_value, "percent": ln.percent, "reason": ln.reason}
                for ln in proposal.lines.all()
                if ln.kind != RemedyKind.APOLOGY.value
            ],
        )
        history = customer_history(proposal.case.customer, self.request.user, exclude_pk=proposal.case_id, limit=10)
        return super().get_context_data(
            proposal=proposal,
            evidence=Evidence.from_json(proposal.evidence),
            case=proposal.case,
            form=form,
            amend_lines=amend_lines,
            history=history.cases,
            history_elsewhere=history.elsewhere,
            can_decide=(
                proposal.state == proposal.State.PENDING
                and self.request.user.has_perm("recovery.decide_proposal")
                and proposal.proposed_by_id != self.request.user.pk
            ),
            **kwargs,
        )

    def post(self, request, pk):
        proposal = proposal_get(request.user, pk)
        if request.POST.get("decision") == "amend":
            return self.amend(request, proposal)
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                decided = services.proposal_decide(
                    proposal=proposal,
                    actor=request.user,
                    approve=data["decision"] == "approve",
                    reason=data["reason"],
                    expected_revision=data["revision"],
                )
            except ApplicationError as error:
                form.add_error("reason" if error.field == "reason" else None, error.message)
            else:
                if decided.state == decided.State.PENDING:
                    messages.info(request, PASSED_UP)
                else:
                    said = gettext("{state}: {reference}.")
                    messages.success(
                        request, said.format(state=decided.get_state_display(), reference=decided.case.reference)
                    )
                return redirect("recovery:queue")
        proposal = proposal_get(request.user, pk)
        context = self.get_context_data(proposal=proposal, form=form)
        return self.render_to_response(context, status=400)

    def amend(self, request, proposal):
        form = DecisionForm(request.POST)
        lines = LineFormSet(request.POST, prefix="amend")
        if form.is_valid() and lines.is_valid():
            try:
                amended = services.proposal_amend(
                    proposal=proposal,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    expected_revision=form.cleaned_data["revision"],
                    lines=[line.line_input() for line in lines if line.cleaned_data.get("kind")],
                )
            except ApplicationError as error:
                form.add_error("reason" if error.field == "reason" else None, error.message)
            else:
                if amended.state == amended.State.PENDING:
                    messages.info(request, AMENDED_PASSED_UP)
                else:
                    messages.success(
                        request, gettext("Amended and approved: {reference}.").format(reference=amended.case.reference)
                    )
                return redirect("recovery:queue")
        context = self.get_context_data(
            proposal=proposal_get(request.user, proposal.pk), form=form, amend_lines=lines, amend_open=True
        )
        return self.render_to_response(context, status=400)


class DeliverView(PermissionRequiredMixin, View):
    request: AuthenticatedHttpRequest
    permission_required = "recovery.change_proposal"

    def post(self, request, pk):
        case = case_get(request.user, pk)
        form = DeliveryForm(request.POST)
        line = None
        if form.is_valid():
            line = ProposalLine.objects.filter(pk=form.cleaned_data["line"], proposal__case=case).first()
        if line is None:
            messages.error(request, NOT_ON_CASE)
            return redirect(case)
        try:
            services.remedy_deliver(line=line, actor=request.user, reference=form.cleaned_data["reference"])
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            said = gettext("Recorded: {remedy} reached the customer.")
            messages.success(request, said.format(remedy=line.get_kind_display()))
        return HttpResponseRedirect(case.get_absolute_url() + "#recovery")


class OverchargeView(PermissionRequiredMixin, View):
    """Record how much the customer was overcharged: what corrections may give back."""

    request: AuthenticatedHttpRequest

    permission_required = "recovery.add_proposal"

    def post(self, request, pk):
        case = case_get(request.user, pk)
        form = OverchargeForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(message) for message in form.errors["overcharge"]))
            return redirect(case)
        try:
            case = services.case_record_overcharge(
                case=case, actor=request.user, amount=form.cleaned_data["overcharge"]
            )
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            said = gettext("Recorded: {amount} overcharged, to be given back.")
            messages.success(request, said.format(amount=format_money(case.overcharge)))
        return redirect(case)


class BudgetView(PermissionRequiredMixin, TemplateView):
    """Compensation used this month against each location's budget."""

    request: AuthenticatedHttpRequest

    template_name = "recovery/budget.html"
    permission_required = "recovery.view_ledgerentry"

    def get_context_data(self, **kwargs):
        in_force = policy_in_force()
        rows = []
        for location in locations_of(self.request.user, active_only=True):
            budget = budget_in_force(location.monthly_budget, in_force.row.monthly_budget_per_location)
            used = budget_used(location.pk)
            rows.append(
                {
                    "location": location,
                    "budget": budget,
                    "used": used,
                    "left": budget - used,
                    "percent": min(int(used * 100 / budget), 100) if budget else 100,
                }
            )
        return super().get_context_data(rows=rows, policy=in_force.row, **kwargs)


class PolicyView(PermissionRequiredMixin, TemplateView):
    """The policy in force, its history, and (for owners) a form that publishes a new version."""

    request: AuthenticatedHttpRequest

    template_name = "recovery/policy.html"
    permission_required = "recovery.view_policyversion"

    def get_context_data(self, **kwargs):
        in_force = policy_in_force()
        if "form" not in kwargs:
            # `?draft=ID` starts from a previewed draft, to change it and preview again.
            query = PolicyQuery(self.request.GET)
            draft = replays.draft_of(self.request.user, query.cleaned_data["draft"]) if query.is_valid() else None
            values, catalogue = draft or ({"note": ""}, in_force.catalogue)
            kwargs["form"] = PolicyForm(instance=in_force.row, initial=values)
            kwargs["catalogue"] = CatalogueFormSet(
                prefix="remedy",
                initial=[
                    {
                        "kind": kind.value,
                        "enabled": catalogue[kind].enabled,
                        "cost_ratio": catalogue[kind].cost_ratio,
                        "granted_by": catalogue[kind].granted_by.value,
                    }
                    for kind in CATALOGUE_KINDS
                ],
            )
        labels = {kind.value: gettext(kind.label) for kind in RemedyKind}
        return super().get_context_data(
            in_force=in_force.row,
            labels=labels,
            can_edit=self.request.user.has_perm("recovery.add_policyversion"),
            versions=PolicyVersion.objects.select_related("created_by")[:20],
            **kwargs,
        )

    def post(self, request):
        if not request.user.has_perm("recovery.add_policyversion"):
            raise PermissionDenied
        in_force = policy_in_force()
        form = PolicyForm(request.POST, instance=PolicyVersion())
        catalogue = CatalogueFormSet(request.POST, prefix="remedy")
        if form.is_valid() and catalogue.is_valid():
            entries = dict(in_force.catalogue)
            for row in catalogue.cleaned_data:
                kind = RemedyKind(row["kind"])
                entries[kind] = RemedyType(
                    kind, row["enabled"], row["cost_ratio"], entries[kind].is_money, Role(row["granted_by"])
                )
            values = {name: form.cleaned_data[name] for name in POLICY_FIELDS}
            try:
                if "preview" in request.POST:  # replayed, not saved: the replay's page publishes it
                    replay = replay_services.policy_replay_request(actor=request.user, values=values, catalogue=entries)
                    return redirect(replay)
                version = services.policy_publish(actor=request.user, values=values, catalogue=entries)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                return published(request, version)
        return self.render_to_response(self.get_context_data(form=form, catalogue=catalogue), status=400)


def published(request: AuthenticatedHttpRequest, version: PolicyVersion) -> HttpResponse:
    said = gettext("Policy v{version} is in force. Earlier decisions keep their version.")
    messages.success(request, said.format(version=version.pk))
    return redirect("recovery:policy")
