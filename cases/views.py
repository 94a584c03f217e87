"""Case pages. Views translate HTTP to forms, selectors and services; they decide nothing."""

from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views import View
from django.views.generic import FormView

from accounts.http import AuthenticatedHttpRequest
from core import forms as core_forms
from core.exceptions import ApplicationError
from core.translatable import translate_filled

from . import services
from .forms import (
    TIME_CHOICES,
    CaseCreateQuery,
    CaseOpenForm,
    SeverityPreviewQuery,
    case_open_form,
)
from .selectors import customer_get, customers_visible_to
from .severity import WORDS, Lost


class CaseCreateView(PermissionRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
    permission_required = "cases.add_case"
    template_name = "cases/case_form.html"
    form_class = CaseOpenForm
    query_form = CaseCreateQuery

    def get_form(self, form_class=None):
        form = case_open_form(self.request.user, **self.get_form_kwargs())
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
            messages.success(self.request, gettext("Case %(reference)s logged.") % {"reference": case.reference})
        else:
            messages.info(
                self.request,
                gettext("Case %(reference)s was already logged; here it is.") % {"reference": case.reference},
            )
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

    request: AuthenticatedHttpRequest

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
                "label": gettext(assessment.severity.label),
                "reasons": [translate_filled(reason, WORDS, gettext) for reason in assessment.reasons],
                "repeat": assessment.facts.repeat_incident,
            }
        )


def _lenient_amount(text: str | None) -> Decimal:
    """A half-typed amount counts as nothing yet: the preview must not fail while staff type."""
    try:
        return min(max(core_forms.DecimalField().clean(text or 0), Decimal(0)), settings.AMENDS_MAX_AMOUNT)
    except ValidationError:
        return Decimal(0)
