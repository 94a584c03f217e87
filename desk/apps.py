from django.apps import AppConfig


class DeskConfig(AppConfig):
    """The top floor: the pages and services that span the domain apps (issue 13)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "desk"
