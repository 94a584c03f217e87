from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A customer's data as a whole (issue 16): handed over on request (the export), erased on
    request or once they have been inactive for the retention period. It spans the domain apps
    below it, so it sits just under the top floor, where both the pages (desk) and the API reach it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
