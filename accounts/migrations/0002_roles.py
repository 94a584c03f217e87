"""The three roles as groups with their permissions.

Permissions are made here rather than left to post_migrate, so that the groups
get them on a fresh database in the same `migrate` run.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

FRONTLINE = [
    "customers.view_customer",
    "customers.add_customer",
    "customers.change_customer",
    "cases.view_case",
    "cases.add_case",
    "cases.change_case",
    "cases.view_caseevent",
    "cases.add_caseevent",
    "accounts.view_location",
]
MANAGER = FRONTLINE + ["accounts.view_user"]
OWNER = MANAGER + ["accounts.change_location", "accounts.add_location"]

ROLES = {"Frontline": FRONTLINE, "Manager": MANAGER, "Owner": OWNER}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        for code in codes:
            app_label, codename = code.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("customers", "0001_initial"),
        ("cases", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
