"""Requests per token, counted in the cache (CACHE_URL: Redis in production, so every web process
counts together). Over the rate: a 429 problem with `Retry-After` (api/problems.py). The rates
are settings (AMENDS_API_RATE for every request, AMENDS_API_WRITE_RATE for writes too)."""

from django.conf import settings
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"
    setting = "AMENDS_API_RATE"

    def get_rate(self) -> str:
        # Read when asked, not when the class is made: a test (or an operator's reload) that
        # changes the setting is heard.
        return getattr(settings, self.setting)

    def get_cache_key(self, request, view) -> str | None:
        token = request.auth
        if not isinstance(token, ApiToken):
            return None  # no token: a 401 before anything is counted
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class TokenWriteThrottle(TokenRateThrottle):
    """Writes (POST, PATCH, PUT, DELETE) count against a second, lower rate as well."""

    scope = "token_write"
    setting = "AMENDS_API_WRITE_RATE"

    def allow_request(self, request, view) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return super().allow_request(request, view)
