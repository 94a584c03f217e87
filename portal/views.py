"""The customer's page: no login, a signed link. GET shows the case in plain words;
POST records the answer to the satisfaction check.

A link that was altered, has expired, or names a case that is no longer available
gets a page that says so and nothing else. Every answer is private (not cached,
not indexed, no referrer sent on) and rate-limited by address.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.core import is_ratelimited

from cases.links import LinkRefused, case_id_from_token, link_expires_at
from core.exceptions import ApplicationError

from .forms import SatisfactionForm
from .selectors import CaseUnavailable, case_for_answer, case_status, refused_contact
from .services import satisfaction_record

REFERRER_POLICY = "same-origin"
THANK_YOU = "We have your answer. Every answer is read by the people who look after your case."


def keep_private(response):
    """Nothing on these pages may be cached, indexed, or leak the link as a referrer."""
    patch_cache_control(response, no_store=True, private=True)
    # Not "no-referrer": under it browsers send "Origin: null" with the rating form's
    # POST, which Django's CSRF check rightly refuses. "same-origin" still gives no
    # other site the link (there is nothing on the page from another site anyway).
    response.headers["Referrer-Policy"] = REFERRER_POLICY
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@method_decorator(login_not_required, name="dispatch")
class CaseStatusView(View):
    template_name = "portal/case.html"
    refused_template_name = "portal/link_refused.html"
    limited_template_name = "portal/too_many_requests.html"
    # Per address: reading is cheap and may be refreshed; answering is rarer.
    rates = {"GET": "30/m", "POST": "10/m"}
    http_method_names = ["get", "post", "head"]

    def dispatch(self, request, *args, **kwargs):
        return keep_private(self._dispatch(request, kwargs["token"]))

    def _dispatch(self, request, token: str):
        method = "GET" if request.method == "HEAD" else request.method
        if method in self.rates and is_ratelimited(
            request, group=f"portal.case.{method}", key="ip", rate=self.rates[method], increment=True
        ):
            response = TemplateResponse(request, self.limited_template_name, status=429)
            response.headers["Retry-After"] = "60"
            return response
        try:
            case_id = case_id_from_token(token)
        except LinkRefused as refused:
            return self._refused("expired" if refused.expired else "not_valid", refused.case_id)
        if method not in self.rates:
            return self.http_method_not_allowed(request)
        try:
            return getattr(self, method.lower())(request, token, case_id)
        except CaseUnavailable:
            return self._refused("gone", case_id)

    def _refused(self, reason: str, case_id: int | None = None):
        status = 404 if reason == "not_valid" else 410
        context = {"reason": reason, "contact_line": refused_contact(case_id)}
        return TemplateResponse(self.request, self.refused_template_name, context, status=status)

    def _page(self, token: str, case_id: int, form: SatisfactionForm | None = None):
        status = case_status(case_id)
        if form is None and status.rating_due:
            form = SatisfactionForm()
        context = {"status": status, "form": form, "expires_at": link_expires_at(token)}
        return TemplateResponse(self.request, self.template_name, context)

    def get(self, request, token: str, case_id: int):
        return self._page(token, case_id)

    def post(self, request, token: str, case_id: int):
        case = case_for_answer(case_id)
        form = SatisfactionForm(request.POST)
        if form.is_valid():
            try:
                _, created = satisfaction_record(case=case, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                if created:
                    messages.success(request, THANK_YOU, extra_tags="portal")
                # See the answer on the page; a reload does not post it again.
                return HttpResponseRedirect(request.path, status=303)
        return self._page(token, case_id, form)
