"""The OpenAPI schema's description of the Bearer token (drf-spectacular's extension point)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension


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
