"""The customer's page: no login, a signed link. GET shows the case in plain words;
POST records the answer to the satisfaction check.

A link that was altered, has expired, or names a case that is no longer available
gets a page that says so and nothing else. Every answer is private (not cached,
not indexed, no referrer sent on) and rate-limited by address.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.http import urlencode
from django.utils.translation import gettext, gettext_noop
from django.views import View
from django_ratelimit.core import is_ratelimited

from attachments.validation import size_words
from cases.links import LinkRefused, case_id_from_token, link_expires_at
from core.exceptions import ApplicationError
from core.forms import parse_int
from core.languages import language_choices

from .acknowledgements import reply_by_words
from .forms import ReportForm, SatisfactionForm
from .languages import PageLanguageForm, customer_words, page_language
from .selectors import (
    CaseUnavailable,
    case_for_answer,
    case_status,
    customer_language,
    refused_contact,
    reported_case,
    reporting_location,
)
from .services import satisfaction_record, self_report_submit

REFERRER_POLICY = "same-origin"
# What a report's form adds to its photo: the text fields, the multipart boundaries.
REQUEST_OVERHEAD = 64 * 1024
THANK_YOU = gettext_noop("We have your answer. Every answer is read by the people who look after your case.")


def content_length(request) -> int:
    """The size the request says its body is (0 if it says nothing we can read)."""
    return max(parse_int(request.META.get("CONTENT_LENGTH")) or 0, 0)


def rendered_in(language: str, response):
    """Render a TemplateResponse now, in `language` (its forms' lazy labels and errors too),
    and say so in Content-Language."""
    with translation.override(language):
        if hasattr(response, "render"):
            response.render()
    response.headers["Content-Language"] = language
    return response


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
            return rendered_in(page_language(request, None), response)
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
        """In the language of the customer the link named, if it named one we know; else as
        the browser asks."""
        status = 404 if reason == "not_valid" else 410
        context = {"reason": reason, "contact_line": refused_contact(case_id)}
        language = customer_language(case_id) or page_language(self.request, None)
        return rendered_in(language, TemplateResponse(self.request, self.refused_template_name, context, status=status))

    def _page(self, token: str, case_id: int, form: SatisfactionForm | None = None):
        status = case_status(case_id)
        if form is None and status.rating_due:
            form = SatisfactionForm()
        context = {"status": status, "form": form, "expires_at": link_expires_at(token)}
        return rendered_in(status.language, TemplateResponse(self.request, self.template_name, context))

    def get(self, request, token: str, case_id: int):
        return self._page(token, case_id)

    def post(self, request, token: str, case_id: int):
        case = case_for_answer(case_id)
        form = SatisfactionForm(request.POST)
        # Validated in the customer's language (its errors are theirs to read); recorded in the
        # staff's (the timeline's words).
        with translation.override(case.customer.language):
            valid = form.is_valid()
        if valid:
            try:
                _, created = satisfaction_record(case=case, **form.cleaned_data)
            except ApplicationError as error:
                with translation.override(case.customer.language):
                    form.add_error(error.field if error.field in form.fields else None, customer_words(error.message))
            else:
                if created:
                    with translation.override(case.customer.language):
                        messages.success(request, gettext(THANK_YOU), extra_tags="portal")
                # See the answer on the page; a reload does not post it again.
                return HttpResponseRedirect(request.path, status=303)
        return self._page(token, case_id, form)


# The customer's own report (/report/<location's report token>/) ----------------------------

RECEIVED_SALT = "portal.report.received"
RECEIVED_MAX_AGE = 24 * 60 * 60  # the acknowledgement page's link works for a day
TOO_LARGE = gettext_noop("That was too much to send at once: a photo may be up to {maximum}. Try a smaller photo.")


@method_decorator(login_not_required, name="dispatch")
class SelfReportView(View):
    """A location's public page where a customer says what went wrong: no login, a CSRF token,
    rate-limited per address, a limit on the request's size, a honeypot, text only."""

    template_name = "portal/report.html"
    received_template_name = "portal/report_received.html"
    limited_template_name = "portal/too_many_requests.html"
    http_method_names = ["get", "post", "head"]

    def rates(self) -> dict[str, str]:
        return {
            "GET": settings.AMENDS_SELF_REPORT_VIEWS_PER_ADDRESS,
            "POST": settings.AMENDS_SELF_REPORTS_PER_ADDRESS,
        }

    def dispatch(self, request, *args, **kwargs):
        return keep_private(super().dispatch(request, *args, **kwargs))

    def _limited(self, request) -> bool:
        # Per address, whatever the token: each guess at a token counts against the guesser
        # (the count is taken before the token is looked up, so a 404 counts too).
        method = "GET" if request.method == "HEAD" else request.method
        rate = self.rates().get(method)
        return bool(rate) and is_ratelimited(
            request, group=f"portal.report.{method}", key="ip", rate=rate, increment=True
        )

    def _too_many(self):
        response = TemplateResponse(self.request, self.limited_template_name, status=429)
        response.headers["Retry-After"] = "60"
        return rendered_in(page_language(self.request, None), response)

    def _page(self, location, form, language: str, status=200, refused=""):
        with translation.override(language):
            maximum = customer_words(size_words(settings.AMENDS_ATTACHMENT_MAX_BYTES))
        context = {
            "location": location,
            "form": form,
            "max_photo": maximum,
            "refused": refused,
            "page_language": language,
            "languages": [
                {"code": code, "name": name, "query": urlencode({"lang": code})} for code, name in language_choices()
            ],
        }
        return rendered_in(language, TemplateResponse(self.request, self.template_name, context, status=status))

    def get(self, request, token: str):
        if self._limited(request):
            return self._too_many()
        location = reporting_location(token)
        language = page_language(request, location.language)
        return self._page(location, ReportForm(location=location, language=language), language)

    def post(self, request, token: str):
        if self._limited(request):
            return self._too_many()
        location = reporting_location(token)
        language = page_language(request, location.language)
        # Refused before the body is read: a photo at the limit and the text fit well within this.
        if content_length(request) > settings.AMENDS_ATTACHMENT_MAX_BYTES + REQUEST_OVERHEAD:
            with translation.override(language):
                maximum = customer_words(size_words(settings.AMENDS_ATTACHMENT_MAX_BYTES))
                refused = gettext(TOO_LARGE).format(maximum=maximum)
            form = ReportForm(location=location, language=language)
            return self._page(location, form, language, status=413, refused=refused)
        form = ReportForm(request.POST, request.FILES, location=location, language=language)
        with translation.override(language):
            valid = form.is_valid()
        if form.is_robot():
            # Looks received; nothing is kept.
            response = TemplateResponse(request, self.received_template_name, {"location": location, "case": None})
            return rendered_in(language, response)
        if valid:
            try:
                case, _ = self_report_submit(
                    location=location,
                    report=form.report(),
                    photo=form.cleaned_data["photo"],
                    submission_token=form.cleaned_data["submission_token"],
                )
            except ApplicationError as error:
                with translation.override(language):
                    form.add_error(error.field if error.field in form.fields else None, customer_words(error.message))
            else:
                receipt = signing.dumps(case.pk, salt=RECEIVED_SALT)
                received = reverse("report:received", kwargs={"token": token, "receipt": receipt})
                return HttpResponseRedirect(f"{received}?{urlencode({'lang': language})}", status=303)
        return self._page(location, form, language, status=400)


@method_decorator(login_not_required, name="dispatch")
class SelfReportReceivedView(View):
    """The acknowledgement: the reference and when they will hear from us. Reached only by the
    signed link the report redirects to (good for a day); shows nothing the customer typed."""

    template_name = "portal/report_received.html"
    http_method_names = ["get", "head"]

    def dispatch(self, request, *args, **kwargs):
        return keep_private(super().dispatch(request, *args, **kwargs))

    def get(self, request, token: str, receipt: str):
        location = reporting_location(token)
        try:
            case_id = signing.loads(receipt, salt=RECEIVED_SALT, max_age=RECEIVED_MAX_AGE)
        except signing.BadSignature as error:
            raise Http404("This acknowledgement has expired.") from error
        case = reported_case(case_id)
        if case.location_id != location.pk:
            raise Http404("Not a report to this location.")
        # In the language the report was made in (the page's, carried by the redirect), else the
        # customer's.
        language = PageLanguageForm(request.GET).chosen() or case.customer.language
        with translation.override(language):
            context = {
                "location": location,
                "case": case,
                "reply_by": reply_by_words(case),
                "emailed": bool(case.customer.email),
            }
        return rendered_in(language, TemplateResponse(request, self.template_name, context))
