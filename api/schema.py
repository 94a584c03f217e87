"""What the OpenAPI schema says beyond what the views declare: the Bearer token, the problems
every operation may answer, and the Idempotency-Key header of every create."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "amd_<prefix>_<secret>",
            "description": "A personal token (Your API tokens) or a location's integration token (an owner makes it).",
        }


class Problem(serializers.Serializer):
    """An error, as RFC 9457 problem details (api/problems.py)."""

    type = serializers.CharField(
        help_text=_("What kind of problem: urn:amends:problem:<name> (docs/api.md lists them).")
    )
    title = serializers.CharField(help_text=_("The kind of problem, in words."))
    status = serializers.IntegerField(help_text=_("The HTTP status."))
    detail = serializers.CharField(help_text=_("This occurrence, in words."))
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=_("Each field (dotted when nested: new_customer.email) and its messages; empty when none."),
    )


# The problems any operation of /api/v1/ may answer, and those only a write may.
ERRORS = {
    "400": "The request could not be read (malformed JSON, a bad cursor).",
    "401": "No token, or one that is mistyped, revoked or expired.",
    "403": "The token's role may not do this.",
    "404": "Not found, or not visible to this token.",
    "422": "A field is wrong, or a rule of the business says no (the message says which).",
    "429": "Too many requests for this token: wait as long as Retry-After says.",
}
WRITE_ERRORS = {
    "409": "This Idempotency-Key was used with a different request.",
    "413": "The body is too large.",
    "415": "The body is not JSON.",
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, with the problems each operation may answer."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if not self.path.startswith("/api/v1/"):
            return responses
        errors = {**ERRORS, **(WRITE_ERRORS if self.method in ("POST", "PATCH", "PUT") else {})}
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(Problem, code, ["application/problem+json"], direction)
                responses[code] = {**response, "description": description}
        return responses

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and self.path.startswith("/api/v1/"):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description=_(
        "Optional, and recommended: a key of your own (a UUID) that makes retrying safe. The same key and body "
        "again answer the first result (with Idempotent-Replayed: true); the same key with another body is a 409. "
        "Kept 24 hours."
    ),
)
