from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("customers", "0004_customer_language")]

    operations = [
        migrations.AlterModelOptions(
            name="customer",
            options={
                "ordering": ["name"],
                "permissions": [
                    ("export_customer", "Can export everything held about a customer"),
                    ("erase_customer", "Can erase a customer's personal data"),
                ],
            },
        ),
    ]
