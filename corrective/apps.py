from django.apps import AppConfig


class CorrectiveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "corrective"
    verbose_name = "Corrective actions"
