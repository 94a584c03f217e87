"""The first policy version, with the default catalogue, so suggestions work on a new install."""

from django.db import migrations

from recovery.catalogue import catalogue_to_json
from recovery.policy import DEFAULT_CATALOGUE


def create(apps, schema_editor):
    PolicyVersion = apps.get_model("recovery", "PolicyVersion")
    if not PolicyVersion.objects.exists():
        PolicyVersion.objects.create(catalogue=catalogue_to_json(DEFAULT_CATALOGUE), note="Amends' defaults")


class Migration(migrations.Migration):
    dependencies = [("recovery", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
