from django.apps import AppConfig


class FollowupsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "followups"

    def ready(self) -> None:
        # Follow the cases' and recovery's events (followups/reactions.py).
        from . import reactions  # noqa: F401
