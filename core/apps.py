from django.apps import AppConfig


class CoreConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "core"

    def ready(self) -> None:
        # Registers the deploy checks; connects the Celery signals (a line per task, the request id).
        from . import checks, task_log  # noqa: F401
