"""The refresh's state row, and its beat entry (every minute; editable in the admin)."""

from django.db import migrations


def make(apps, schema_editor):
    apps.get_model("dashboard", "RollupState").objects.get_or_create(pk=1)
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    every_minute, _ = IntervalSchedule.objects.get_or_create(every=1, period="minutes")
    PeriodicTask.objects.get_or_create(
        name="Bring the dashboard's figures up to date",
        defaults={"task": "dashboard.refresh", "interval": every_minute},
    )


def remove(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(task="dashboard.refresh").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("dashboard", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(make, remove)]
