"""Case pages. Views translate HTTP to forms, selectors and services; they decide nothing."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.models import Location
from accounts.roles import Role, location_ids_of, role_of
from core import forms as core_forms
from core.csv_export import csv_response
from core.exceptions import ApplicationError
from core.pagination import page_of
from corrective.selectors import corrective_panel
from customers.selectors import customer_get, customers_visible_to
from followups.selectors import followups_panel
from recovery.selectors import recovery_panel_decided

from . import services
from .filters import ACTIVE, ME, CaseFilter
from .forms import (
    TIME_CHOICES,
    AssignForm,
    CaseCreateQuery,
    CaseOpenForm,
    ContactForm,
    NoteForm,
    SeverityForm,
    SeverityPreviewQuery,
    TransitionForm,
)
from .selectors import CSV_HEADER, case_get, case_list, cases_csv_rows, customer_history, staff_at
from .severity import Lost, Severity
from .states import Outcome, State, allowed_next


def default_list_query(user) -> str:
    """Where each role lands: frontline on their own open cases, others on all open ones."""
    if role_of(user) is Role.FRONTLINE:
        return f"assignee={ME}&state={ACTIVE}"
    return f"state={ACTIVE}"


class CaseListView(PermissionRequiredMixin, TemplateView):
    permission_required = "cases.view_case"
    template_name = "cases/case_list.html"
    filterset_class = CaseFilter
    per_page = 25

    def get(self, request, *args, **kwargs):
        if not request.GET:
            return HttpResponseRedirect(f"{request.path}?{default_list_query(request.user)}")
        if request.GET.get("export") == "csv":
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return csv_response(f"cases-{stamp}.csv", CSV_HEADER, cases_csv_rows(self.filtered()[0]))
        return super().get(request, *args, **kwargs)

    def filtered(self):
        case_filter = self.filterset_class(
            self.request.GET, queryset=case_list(self.request.user), user=self.request.user
        )
        return (case_filter.qs if case_filter.is_valid() else case_list(self.request.user).none()), case_filter

    def get_context_data(self, **kwargs):
        cases, case_filter = self.filtered()
        page = page_of(cases, self.request.GET.get("page"), self.per_page)
        return super().get_context_data(filter=case_filter, page=page, now=timezone.now(), tabs=self._tabs(), **kwargs)

    def _tabs(self):
        current = self.request.GET.urlencode()
        tabs = [
            ("My open cases", f"assignee={ME}&state={ACTIVE}"),
            ("All open", f"state={ACTIVE}"),
            ("Overdue", f"state={ACTIVE}&overdue=on"),
            ("Everything", "sort=newest"),
        ]
        return [(label, query, query == current) for label, query in tabs]


class CaseCreateView(PermissionRequiredMixin, FormView):
    permission_required = "cases.add_case"
    template_name = "cases/case_form.html"
    form_class = CaseOpenForm
    query_form = CaseCreateQuery

    def get_form_kwargs(self):
        user = self.request.user
        location_ids = location_ids_of(user)
        locations = Location.objects.filter(is_active=True)
        if location_ids is not None:
            locations = locations.filter(pk__in=location_ids)
        kwargs = super().get_form_kwargs()
        kwargs.update(
            user=user, customers=customers_visible_to(user), locations=locations, staff=staff_at(location_ids)
        )
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not form.is_bound and form.initial.get("customer"):
            # The customer came chosen (from their page): the finder is hidden, so the
            # template's autofocus on it cannot apply; start at what went wrong instead.
            form.fields["category"].widget.attrs["autofocus"] = True
        return form

    def get_initial(self):
        initial = super().get_initial()
        query = self.query_form(self.request.GET)
        if query.is_valid() and query.cleaned_data["customer"]:
            initial["customer"] = customer_get(self.request.user, query.cleaned_data["customer"])
        return initial

    def form_valid(self, form):
        try:
            case, created = services.case_open(
                actor=self.request.user,
                details=form.incident(),
                customer=form.cleaned_data.get("customer"),
                new_customer=form.new_customer(),
                submission_token=form.cleaned_data["submission_token"],
            )
        except ApplicationError as error:
            form.add_error(_form_field(form, error.field, prefix="new_"), error.message)
            return self.render_to_response(self.get_context_data(form=form, duplicate=error.extra.get("duplicate")))
        if created:
            messages.success(self.request, f"Case {case.reference} logged.")
        else:
            messages.info(self.request, f"Case {case.reference} was already logged; here it is.")
        return redirect(case)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        chosen = form.initial.get("customer")
        if form.is_bound:
            chosen = getattr(form, "cleaned_data", {}).get("customer")
        context["chosen_customer"] = chosen
        context["time_choices"] = TIME_CHOICES
        return context


def _form_field(form, field: str | None, prefix: str = "") -> str | None:
    """The form field an error belongs to: customer errors go to the new customer's fields."""
    if field is None:
        return None
    if field in form.fields:
        return field
    if prefix + field in form.fields:
        return prefix + field
    return None


class SeverityPreviewView(PermissionRequiredMixin, View):
    """The suggested severity while the form is being filled in (JSON for the page's script)."""

    permission_required = "cases.add_case"
    query_form = SeverityPreviewQuery

    def get(self, request):
        form = self.query_form(request.GET)
        form.is_valid()  # what is valid so far is used; the rest counts as nothing yet
        query = form.cleaned_data
        customer = None
        if query.get("customer"):
            customer = customers_visible_to(request.user).filter(pk=query["customer"]).first()
        assessment = services.suggest_severity(
            category=query.get("category") or "",
            order_value=_lenient_amount(query.get("order_value")),
            overcharge=_lenient_amount(query.get("overcharge")),
            hidden_costs=_lenient_amount(query.get("hidden_costs")),
            lost=Lost(query.get("lost") or Lost.NONE.value),
            time_lost_minutes=query.get("time_lost_minutes") or 0,
            occasion_mattered=bool(query.get("occasion_mattered")),
            treated_poorly=bool(query.get("treated_poorly")),
            customer=customer,
            now=timezone.now(),
        )
        return JsonResponse(
            {
                "severity": assessment.severity.value,
                "label": assessment.severity.label,
                "reasons": assessment.reasons,
                "repeat": assessment.facts.repeat_incident,
            }
        )


def _lenient_amount(text: str | None) -> Decimal:
    """A half-typed amount counts as nothing yet: the preview must not fail while staff type."""
    try:
        return min(max(core_forms.DecimalField().clean(text or 0), Decimal(0)), settings.AMENDS_MAX_AMOUNT)
    except ValidationError:
        return Decimal(0)


class CaseDetailView(PermissionRequiredMixin, TemplateView):
    """A case: its facts, its timeline, the customer's history, and what can be done next.

    Every action posts here with an `action` field; a refused action shows the
    page again with what was typed and the reason.
    """

    template_name = "cases/case_detail.html"
    permission_required = "cases.view_case"
    actions = {
        "transition": TransitionForm,
        "note": NoteForm,
        "contact": ContactForm,
        "assign": AssignForm,
        "severity": SeverityForm,
    }

    def get_case(self):
        return case_get(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        case = kwargs.get("case") or self.get_case()
        staff = staff_at([case.location_id])
        bound = kwargs.pop("bound_forms", {})
        # What the case's life allows given what was decided about its remedies (the service
        # refuses the rest): no way into or out of waiting for approval by hand, and no
        # "remedy delivered" before a remedy is.
        recovery = recovery_panel_decided(case, self.request.user)
        manual_next = allowed_next(case.state_enum, recovery["remedies"])
        context = super().get_context_data(**kwargs)
        history = customer_history(case.customer, self.request.user, exclude_pk=case.pk, limit=10)
        context.update(
            case=case,
            history=history.cases,
            history_elsewhere=history.elsewhere,
            next_states=manual_next,
            can_close=State.CLOSED in manual_next,
            outcomes=list(Outcome),
            note_form=bound.get("note", NoteForm()),
            contact_form=bound.get("contact", ContactForm()),
            transition_form=bound.get("transition"),
            assign_form=bound.get("assign", AssignForm(staff=staff, initial={"assignee": case.assignee_id})),
            severity_form=bound.get("severity", SeverityForm(initial={"severity": case.severity})),
            severities=list(Severity),
            **recovery,
            **followups_panel(case, bound),
            # corrective actions panel context (corrective app)
            **corrective_panel(case, self.request.user),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("cases.change_case"):
            raise PermissionDenied
        case = self.get_case()
        action = request.POST.get("action", "")
        form_class = self.actions.get(action)
        if form_class is None:
            messages.error(request, "That action is not known.")
            return redirect(case)
        extra = {"staff": staff_at([case.location_id])} if action == "assign" else {}
        form = form_class(request.POST, **extra)
        if form.is_valid():
            try:
                message = getattr(self, f"do_{action}")(case, form.cleaned_data)
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(reverse("cases:detail", kwargs={"pk": case.pk}))
        messages.error(request, "That was not saved: see the message below.")
        context = self.get_context_data(case=case, bound_forms={action: form})
        return self.render_to_response(context, status=400)

    def do_transition(self, case, data):
        try:
            to_state = State(data["to_state"])
        except ValueError as error:
            raise ApplicationError("That state is not known.") from error
        outcome = Outcome(data["outcome"]) if data["outcome"] else None
        case = services.case_transition(
            case=case,
            actor=self.request.user,
            to_state=to_state,
            outcome=outcome,
            note=data["note"],
            expected_state=data["expected_state"],
        )
        return f"{case.reference} is now {to_state.label.lower()}."

    def do_note(self, case, data):
        services.case_add_note(case=case, actor=self.request.user, note=data["note"])
        return "Note added."

    def do_contact(self, case, data):
        services.case_record_contact(case=case, actor=self.request.user, note=data["note"])
        return "Contact with the customer recorded."

    def do_assign(self, case, data):
        assignee = data["assignee"]
        services.case_assign(case=case, actor=self.request.user, assignee_id=assignee.pk if assignee else None)
        return f"Assigned to {assignee}." if assignee else "Case unassigned."

    def do_severity(self, case, data):
        severity = Severity(data["severity"])
        services.case_set_severity(case=case, actor=self.request.user, severity=severity, reason=data["reason"])
        return f"Severity set to {severity.label.lower()}."
