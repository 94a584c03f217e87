"""Beat sends the health check's canary every minute (django-celery-beat, editable in the admin).

A canary nobody consumed within two minutes expires instead of piling up in the
broker while no worker runs; /health/ reports the age of the latest one consumed.
"""

from django.db import migrations


def make_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Health check: a worker consumes a canary",
        defaults={"task": "core.canary", "interval": every_minute, "expire_seconds": 120},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task="core.canary").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_canary"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make_schedule, remove_schedule)]
