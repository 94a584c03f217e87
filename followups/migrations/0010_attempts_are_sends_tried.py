"""Attempts count the sends tried, not the claims, and a temporary failure is tried again for a
window since it first failed (`failing_since`) instead of up to `max_attempts` claims."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0009_messagetemplate_language"),
    ]

    operations = [
        migrations.RemoveField(model_name="followup", name="max_attempts"),
        migrations.AddField(
            model_name="followup",
            name="failing_since",
            field=models.DateTimeField(blank=True, null=True),
        ),
    ]
