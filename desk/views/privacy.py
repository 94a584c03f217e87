"""A customer's data on their page: handed over (a zip of everything held, with their files) and
erased at their request, after a confirmation. Owners only (privacy.selectors.customer_for_privacy
says why); each export and erasure goes on the audit trail."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import FileResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from privacy.archive import export_zip
from privacy.selectors import customer_for_privacy
from privacy.services import customer_anonymise, customer_export


class CustomerExportView(PermissionRequiredMixin, View):
    """A POST (a download that writes to the audit trail is not a link a browser may prefetch)."""

    request: AuthenticatedHttpRequest
    permission_required = ("customers.view_customer", "customers.export_customer")
    http_method_names = ["post"]

    def post(self, request, pk: int):
        customer = customer_for_privacy(request.user, pk)
        export = customer_export(customer=customer, actor=request.user, form="zip")
        response = FileResponse(
            export_zip(export),
            content_type="application/zip",
            as_attachment=True,
            filename=f"customer-{customer.pk}-export.zip",
        )
        patch_cache_control(response, private=True, no_store=True)
        return response


class CustomerEraseView(PermissionRequiredMixin, TemplateView):
    """GET asks to confirm, saying what goes and what stays; POST erases and goes back to the page."""

    request: AuthenticatedHttpRequest
    permission_required = ("customers.view_customer", "customers.erase_customer")
    template_name = "customers/customer_erase.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(customer=customer_for_privacy(self.request.user, self.kwargs["pk"]), **kwargs)

    def post(self, request, pk: int):
        customer = customer_for_privacy(request.user, pk)
        if customer.anonymised_at is None:
            customer_anonymise(customer=customer, actor=request.user)
            messages.success(request, gettext("The customer's personal data was erased."))
        else:
            messages.info(request, gettext("This customer's personal data was already erased."))
        return redirect(customer)
