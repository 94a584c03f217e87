from django.apps import AppConfig


class CasesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "cases"

    def ready(self) -> None:
        # Changes made in the back office reach the event log (cases/audit.py).
        from . import audit

        audit.connect()
