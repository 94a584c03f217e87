"""Beat's entry: every minute, the webhooks' dispatcher (the safety net behind the doorbell that
rings after each commit to the event log: a doorbell lost with the broker delays, never loses)."""

from django.db import migrations


def make(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Send the event log to the webhook endpoints",
        defaults={"task": "webhooks.dispatch", "interval": every_minute},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="webhooks.dispatch").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("webhooks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make, remove)]
