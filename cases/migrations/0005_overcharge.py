from django.conf import settings
from django.db import migrations, models


def overcharge_from_order_value(apps, schema_editor):
    # Until now a billing error's order value was read as the amount overcharged: keep what those
    # cases said, so their corrections stay what they were.
    Case = apps.get_model("cases", "Case")
    Case.objects.filter(category="billing_error").update(overcharge=models.F("order_value"))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_location_monthly_budget_user_authority_limit"),
        ("cases", "0004_caseevent_created"),
        ("customers", "0002_customer_anonymised_at"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="overcharge",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=12, verbose_name="amount overcharged"),
        ),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.CheckConstraint(
                condition=models.Q(("overcharge__gte", 0)), name="case_overcharge_not_negative"
            ),
        ),
        migrations.RunPython(overcharge_from_order_value, migrations.RunPython.noop, elidable=True),
    ]
