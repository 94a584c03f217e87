"""Every error the API answers is a problem (RFC 9457, `application/problem+json`):

    {"type": "urn:amends:problem:validation", "title": "Check the fields named in errors.",
     "status": 422, "detail": "…", "errors": {"occurred_at": ["The incident cannot be in the future."]}}

`errors` maps each field (dotted for a nested one: `new_customer.email`) to its messages; it is
empty when the problem is not about a field. A rule of the domain that says no
(`ApplicationError`, raised by the same services the pages call) is a 422 with its message next
to its field, word for word what the page would show. Bad input is never a 500: malformed JSON
is a 400, a value of the wrong type or out of range a 422, an id nobody may see a 404.
"""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from core.exceptions import ApplicationError

CONTENT_TYPE = "application/problem+json"
# Messages that are about the request as a whole rather than one field.
GENERAL = "non_field_errors"

TITLES = {
    "validation": _("Check the fields named in errors."),
    "refused": _("The request breaks a rule of the business."),
    "malformed": _("The request could not be read."),
    "unauthenticated": _("A valid API token is needed."),
    "forbidden": _("This token may not do that."),
    "not_found": _("Not found, or not visible to this token."),
    "method_not_allowed": _("That method is not allowed here."),
    "not_acceptable": _("The API answers in JSON only."),
    "unsupported_media_type": _("Send the body as JSON (Content-Type: application/json)."),
    "conflict": _("The request conflicts with an earlier one."),
    "throttled": _("Too many requests: wait before sending more."),
    "too_large": _("The request is too large."),
}


def problem_type(slug: str) -> str:
    """A problem's `type`: a URN naming it (docs/api.md lists them); not a page to fetch."""
    return f"urn:amends:problem:{slug}"


def problem_response(
    status_code: int, slug: str, detail: str, errors: Mapping[str, list[str]] | None = None, headers=None
) -> Response:
    body = {
        "type": problem_type(slug),
        "title": str(TITLES[slug]),
        "status": status_code,
        "detail": detail,
        "errors": dict(errors or {}),
    }
    return Response(body, status=status_code, headers=headers, content_type=CONTENT_TYPE)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with an earlier one.")
    default_code = "conflict"


class BadCursor(exceptions.ParseError):
    default_detail = _("This cursor is not one the API gave: start again from the first page.")


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as one level of dotted fields: {"new_customer.email": [...]}."""
    if isinstance(detail, Mapping):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = GENERAL if key in (GENERAL, "__all__") and not prefix else f"{prefix}{key}"
            for field, messages in flatten(value, f"{name}.").items():
                found.setdefault(field, []).extend(messages)
        return found
    if isinstance(detail, list) and any(isinstance(item, Mapping | list) for item in detail):
        found = {}
        for index, item in enumerate(detail):
            for field, messages in flatten(item, f"{prefix}{index}.").items():
                found.setdefault(field, []).extend(messages)
        return found
    items = detail if isinstance(detail, list) else [detail]
    return {prefix.rstrip(".") or GENERAL: [str(item) for item in items]}


def summary(errors: Mapping[str, list[str]]) -> str:
    """The messages in one line, each after its field: for a log, or a person reading the body."""
    return " ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())


_SLUGS = {
    exceptions.ParseError: ("malformed", status.HTTP_400_BAD_REQUEST),
    exceptions.AuthenticationFailed: ("unauthenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.NotAuthenticated: ("unauthenticated", status.HTTP_401_UNAUTHORIZED),
    exceptions.PermissionDenied: ("forbidden", status.HTTP_403_FORBIDDEN),
    exceptions.NotFound: ("not_found", status.HTTP_404_NOT_FOUND),
    exceptions.MethodNotAllowed: ("method_not_allowed", status.HTTP_405_METHOD_NOT_ALLOWED),
    exceptions.NotAcceptable: ("not_acceptable", status.HTTP_406_NOT_ACCEPTABLE),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", status.HTTP_415_UNSUPPORTED_MEDIA_TYPE),
    Conflict: ("conflict", status.HTTP_409_CONFLICT),
    exceptions.Throttled: ("throttled", status.HTTP_429_TOO_MANY_REQUESTS),
}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST framework's EXCEPTION_HANDLER: every error it knows as a problem. Anything else is
    a bug and stays one (a 500, logged)."""
    response = _problem_for(exc, context)
    if response is not None:
        set_rollback()
    return response


def _problem_for(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        errors = {exc.field: [exc.message]} if exc.field else {}
        return problem_response(status.HTTP_422_UNPROCESSABLE_ENTITY, "refused", exc.message, errors)
    if isinstance(exc, DjangoValidationError):
        errors = flatten(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
        return problem_response(status.HTTP_422_UNPROCESSABLE_ENTITY, "validation", summary(errors), errors)
    if isinstance(exc, RequestDataTooBig):
        return problem_response(status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, "too_large", str(TITLES["too_large"]))
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        return problem_response(status.HTTP_422_UNPROCESSABLE_ENTITY, "validation", summary(errors), errors)
    if not isinstance(exc, exceptions.APIException):
        return None
    slug, code = next(((s, c) for kind, (s, c) in _SLUGS.items() if isinstance(exc, kind)), ("malformed", 400))
    headers: dict[str, str] = {}
    if isinstance(exc, exceptions.AuthenticationFailed | exceptions.NotAuthenticated):
        request = context.get("request")
        view = context.get("view")
        if request is not None and view is not None and (auth := view.get_authenticate_header(request)):
            headers["WWW-Authenticate"] = auth
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    return problem_response(code if code else exc.status_code, slug, str(detail), {}, headers)
