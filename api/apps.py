from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The public API (issue 15): tokens, and the domain's resources over HTTP, on the top floor
    beside desk. It reads through the same selectors and writes through the same services as the
    pages; it holds no rule of its own beyond HTTP's (tokens, idempotency, paging, problems)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"

    def ready(self) -> None:
        # The Bearer scheme in the OpenAPI schema (drf-spectacular finds it by import), and the
        # reactions to the event log (a customer's erasure reaches the answers kept for retries).
        from . import reactions, schema  # noqa: F401
