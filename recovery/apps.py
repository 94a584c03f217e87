from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_first_policy(sender, using="default", **kwargs):
    # Also after a flush (transactional tests): suggestions need a policy in force.
    from .catalogue import catalogue_to_json
    from .models import PolicyVersion
    from .policy import DEFAULT_CATALOGUE

    if not PolicyVersion.objects.using(using).exists():
        PolicyVersion.objects.using(using).create(
            catalogue=catalogue_to_json(DEFAULT_CATALOGUE), note="Amends' defaults"
        )


class RecoveryConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "recovery"

    def ready(self):
        post_migrate.connect(_ensure_first_policy, sender=self, dispatch_uid="recovery.ensure_first_policy")
        # The first-contact deadline is the case's (lower in the stack); whether it runs in working
        # time is the policy's: cases asks through the reader registered here.
        from cases import deadlines

        from .selectors import deadlines_in_working_time

        deadlines.read_switch_with(deadlines_in_working_time)
