"""The customer's pages: every incident and what was given, at the reader's locations (it reads
cases and recovery), the type-ahead of the case form, and correcting their details. Which
customers someone sees depends on their cases, so these pages live on the top floor."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.views import View
from django.views.generic import FormView, TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import sees_all_locations
from cases.selectors import customer_get, customer_history, customer_search
from core.exceptions import ApplicationError
from customers.contact import phone_for_display
from customers.forms import CustomerForm, CustomerSearchQuery
from customers.services import customer_update
from recovery.selectors import remedies_given


class CustomerDetailView(PermissionRequiredMixin, TemplateView):
    """Everything that happened to one customer: every incident and what was done."""

    request: AuthenticatedHttpRequest

    permission_required = "customers.view_customer"
    template_name = "customers/customer_detail.html"
    history_limit = 50

    def get_context_data(self, **kwargs):
        customer = customer_get(self.request.user, self.kwargs["pk"])
        history = customer_history(customer, self.request.user, limit=self.history_limit)
        return super().get_context_data(
            customer=customer,
            cases=history.cases,
            case_count=history.count,
            cases_elsewhere=history.elsewhere,
            remedies=remedies_given(customer, self.request.user),
            # Exporting and erasing reach every location's cases (privacy.selectors.customer_for_privacy).
            sees_everything=sees_all_locations(self.request.user),
            **kwargs,
        )


class CustomerSearchView(PermissionRequiredMixin, View):
    """Type-ahead for the case form: a few matching customers as JSON, their numbers as people read them."""

    request: AuthenticatedHttpRequest

    permission_required = "customers.view_customer"
    query_form = CustomerSearchQuery

    def get(self, request):
        form = self.query_form(request.GET)
        found = customer_search(request.user, form.cleaned_data["q"]) if form.is_valid() else []
        results = [{"id": c.pk, "name": c.name, "email": c.email, "phone": phone_for_display(c.phone)} for c in found]
        return JsonResponse({"results": results})


class CustomerUpdateView(PermissionRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
    permission_required = "customers.change_customer"
    template_name = "customers/customer_form.html"
    form_class = CustomerForm

    @cached_property
    def customer(self):
        return customer_get(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.customer}

    def get_context_data(self, **kwargs):
        return super().get_context_data(customer=self.customer, **kwargs)

    def form_valid(self, form):
        try:
            customer_update(customer=self.customer, details=form.details())
        except ApplicationError as error:
            form.add_error(error.field, error.message)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Customer details saved."))
        return redirect(self.customer)
