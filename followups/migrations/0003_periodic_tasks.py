"""The beat schedule, kept by django-celery-beat in the database and editable in the admin.

Exactly one beat should run; a second one does no harm, because the dispatcher's
claims skip rows another has locked and the digest is sent once a person a day.
"""

from django.conf import settings
from django.db import migrations


def make_schedule(apps, schema_editor):
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Send the follow-ups that are due",
        defaults={"task": "followups.dispatch", "interval": every_minute},
    )
    # Hourly: the task sends each person's digest once a day, from AMENDS_DIGEST_HOUR on,
    # so an hour missed (beat down, broker restarted) is made up at the next.
    hourly, _ = CrontabSchedule.objects.get_or_create(
        minute="0",
        hour="*",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.get_or_create(
        name="Email each member of staff their daily digest",
        defaults={"task": "followups.digest", "crontab": hourly},
    )


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(task__in=["followups.dispatch", "followups.digest"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0002_purposes_templates_digest"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make_schedule, remove_schedule)]
