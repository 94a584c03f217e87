"""The customer's page: every incident and what was given, at the reader's locations; it reads
cases and recovery, so it lives on the top floor."""

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import TemplateView

from cases.selectors import customer_history
from customers.selectors import customer_get
from recovery.selectors import remedies_given


class CustomerDetailView(PermissionRequiredMixin, TemplateView):
    """Everything that happened to one customer: every incident and what was done."""

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
            **kwargs,
        )
