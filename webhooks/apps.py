from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "webhooks"

    def ready(self) -> None:
        # The event log is the outbox: after each transaction that wrote to it commits, the
        # dispatcher's doorbell rings (cases knows nothing of webhooks; it calls what is registered).
        from cases import events

        from .tasks import doorbell

        events.after_commit(doorbell)
