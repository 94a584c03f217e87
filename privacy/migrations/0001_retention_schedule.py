"""Beat's entry: once a night, anonymise the customers inactive for the retention period
(privacy.retention_sweep; it does nothing while AMENDS_CUSTOMER_RETENTION_DAYS is 0)."""

from django.conf import settings
from django.db import migrations


def make(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    # At night, local time, after the attachments' sweep (03:30): nobody is at work.
    nightly, _ = CrontabSchedule.objects.get_or_create(
        minute="15",
        hour="4",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name="Anonymise customers inactive for the retention period",
        defaults={"task": "privacy.retention_sweep", "crontab": nightly},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="privacy.retention_sweep").delete()


class Migration(migrations.Migration):
    dependencies = [("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(make, remove)]
