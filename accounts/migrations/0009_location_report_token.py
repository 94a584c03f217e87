"""Each location's report page is reached by a random token (/report/<report_token>/) instead of
its short code, which anyone could guess. Existing locations get one each here: the column is
added empty, filled row by row, then made unique and required."""

import secrets

from django.db import migrations, models

import accounts.models


def fill(apps, schema_editor):
    Location = apps.get_model("accounts", "Location")
    for location in Location.objects.filter(report_token__isnull=True).only("pk"):
        # What accounts.models.new_report_token makes, written out: a migration keeps its own copy.
        location.report_token = secrets.token_urlsafe(24)
        location.save(update_fields=["report_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0008_location_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="location",
            name="report_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="location",
            name="report_token",
            field=models.CharField(
                default=accounts.models.new_report_token, editable=False, max_length=64, unique=True
            ),
        ),
    ]
