"""Beat's entry: once a day, delete the stored files no attachment names (attachments.sweep)."""

from django.conf import settings
from django.db import migrations


def make(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # At night, local time, when nobody is uploading.
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="3",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name="Delete stored files no attachment names",
        defaults={"task": "attachments.sweep", "crontab": nightly},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="attachments.sweep").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("attachments", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make, remove)]
