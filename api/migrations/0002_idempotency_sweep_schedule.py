"""Beat's entry: once a night, forget the API's idempotency keys past their day (api.idempotency_keys_sweep)."""

from django.conf import settings
from django.db import migrations


def make(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="45",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name="Forget the API's old idempotency keys",
        defaults={"task": "api.idempotency_keys_sweep", "crontab": nightly},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="api.idempotency_keys_sweep").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_tokens_and_idempotency_keys"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make, remove)]
