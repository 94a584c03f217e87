from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView

from core.exceptions import ApplicationError

from .contact import phone_for_display
from .forms import CustomerForm, CustomerSearchQuery
from .selectors import customer_get, customer_search
from .services import customer_update


class CustomerSearchView(PermissionRequiredMixin, View):
    """Type-ahead for the case form: a few matching customers as JSON, their numbers as people read them."""

    permission_required = "customers.view_customer"
    query_form = CustomerSearchQuery

    def get(self, request):
        form = self.query_form(request.GET)
        found = customer_search(request.user, form.cleaned_data["q"]) if form.is_valid() else []
        results = [{"id": c.pk, "name": c.name, "email": c.email, "phone": phone_for_display(c.phone)} for c in found]
        return JsonResponse({"results": results})


class CustomerUpdateView(PermissionRequiredMixin, FormView):
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
        messages.success(self.request, "Customer details saved.")
        return redirect(self.customer)
