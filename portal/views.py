"""The customer's pages: no login, a signed link."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from cases.models import Case

from .links import LinkRefused, case_id_from_token


@method_decorator(login_not_required, name="dispatch")
class CaseStatusView(TemplateView):
    template_name = "portal/case.html"

    def get(self, request, token):
        try:
            case_id = case_id_from_token(token)
        except LinkRefused as refused:
            return self.response_class(
                request,
                "portal/link_refused.html",
                {"expired": refused.expired},
                status=410 if refused.expired else 404,
            )
        case = get_object_or_404(Case.objects.select_related("customer", "location"), pk=case_id)
        return self.render_to_response({"case": case, "first_name": case.customer.first_name})
