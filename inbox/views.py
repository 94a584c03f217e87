"""The inbound endpoint (a mail provider's POST, no login) and the Inbox page (managers, owners)."""

import hashlib
import hmac
import time

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import TemplateView
from django_ratelimit.core import is_ratelimited

from accounts.http import AuthenticatedHttpRequest
from core.forms import parse_int
from core.pagination import page_of

from .form_data import multipart_fields
from .forms import InboundPostForm
from .models import InboundMessage
from .selectors import inbox_rows
from .services import inbound_mail_receive, inbound_webhook_token_claim

PER_PAGE = 50
# What a POST may add to the message itself: the form's other fields and its encoding.
_ENVELOPE = 64 * 1024


def signature_of(secret: str, timestamp: str, token: str) -> str:
    """Mailgun's signature: HMAC-SHA256 of timestamp + token, keyed with the signing key, in hex."""
    return hmac.new(secret.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def _refused(status: int, reason: str) -> JsonResponse:
    return JsonResponse({"refused": reason}, status=status)


@method_decorator([login_not_required, csrf_exempt], name="dispatch")
class InboundEmailView(View):
    """POST /inbound/email/mime (also /inbound/email/): one raw message, signed. The message is
    taken in within the request (no network call: it is quick) and the answer is 200 only once it
    is committed, so the provider retries whatever failed; the token's use commits with it, so a
    retry after a failure is not mistaken for a replay."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        secret = settings.AMENDS_INBOUND_SECRET
        if not secret:
            raise Http404("Inbound mail is not turned on.")
        if is_ratelimited(request, group="inbox.inbound", key="ip", rate=settings.AMENDS_INBOUND_RATE, increment=True):
            return _refused(429, "too many requests")
        limit = settings.AMENDS_INBOUND_MAX_BYTES
        length = parse_int(str(request.META.get("CONTENT_LENGTH") or "0"))
        if length is None or length > limit * 2 + _ENVELOPE:
            return _refused(413, "message too large")
        form = InboundPostForm(self._data(request))
        if not form.is_valid():
            return _refused(403, "not signed")
        data = form.cleaned_data
        # Signed as sent (the digits posted), checked as a number for its age.
        expected = signature_of(secret, form.data["timestamp"], data["token"])
        if not hmac.compare_digest(expected, data["signature"].lower()):
            return _refused(403, "wrong signature")
        if abs(time.time() - data["timestamp"]) > settings.AMENDS_INBOUND_MAX_AGE_SECONDS:
            return _refused(403, "too old")
        raw = data["body-mime"].encode("utf-8", errors="surrogateescape")
        if len(raw) > limit:
            return _refused(413, "message too large")
        with transaction.atomic():
            if not inbound_webhook_token_claim(token=data["token"]):
                return _refused(403, "token already used")
            inbound = inbound_mail_receive(raw=raw, route=InboundMessage.Route.WEBHOOK)
        return JsonResponse({"outcome": inbound.outcome, "id": inbound.pk})

    def _data(self, request: HttpRequest) -> QueryDict | dict[str, str]:
        """The posted fields, read here rather than by request.POST, whose limit on a text field
        (DATA_UPLOAD_MAX_MEMORY_SIZE, 2.5 MB) is for forms people fill in, not for mail with
        photos; the length was checked against AMENDS_INBOUND_MAX_BYTES above. The message may
        come as a text field or as a file: the same bytes either way."""
        body = request.read()
        if request.content_type == "multipart/form-data":
            fields = multipart_fields(request.META.get("CONTENT_TYPE", ""), body)
            return {name: value.decode("utf-8", "surrogateescape") for name, value in fields.items()}
        return QueryDict(body, encoding=request.encoding or "utf-8")


class InboxView(PermissionRequiredMixin, TemplateView):
    """What came in by email in the last 30 days and what became of it, at the reader's
    locations (owners: everything, including mail that named no location): nothing that was
    rejected or ignored vanishes unseen."""

    request: AuthenticatedHttpRequest
    template_name = "inbox/inbox.html"
    permission_required = "inbox.view_inboundmessage"

    def get_context_data(self, **kwargs):
        page = page_of(inbox_rows(self.request.user), self.request.GET.get("page"), PER_PAGE)
        return super().get_context_data(page=page, **kwargs)
