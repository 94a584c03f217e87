"""Existing phone numbers to E.164, read in their customer's home location's region, so
that "07700 900123" and "+44 7700 900123" are one number for duplicates and search.

Nothing is lost: a number that cannot be read, or that would become another customer's
number, is left exactly as typed, and the migration says which customers they are.
"""

from django.conf import settings
from django.db import migrations

from customers.contact import normalise_phone


def phones_to_e164(apps, schema_editor, report=print):
    Customer = apps.get_model("customers", "Customer")
    rows = list(
        Customer.objects.exclude(phone="").order_by("pk").values_list("pk", "phone", "home_location__phone_region")
    )
    taken = {phone: pk for pk, phone, _ in rows}
    changed, unreadable, clashing = 0, [], []
    for pk, phone, region in rows:
        try:
            e164 = normalise_phone(phone, region or settings.AMENDS_PHONE_REGION)
        except ValueError:
            unreadable.append(pk)
            continue
        if e164 == phone:
            continue
        if taken.get(e164, pk) != pk:
            clashing.append((pk, taken[e164]))
            continue
        Customer.objects.filter(pk=pk).update(phone=e164)
        del taken[phone]
        taken[e164] = pk
        changed += 1
    if rows:
        report(f"\n  Phone numbers: {changed} of {len(rows)} rewritten in E.164; every other one kept as it was.")
    if unreadable:
        report(f"  Not a number we can read, kept as typed: customers {', '.join(map(str, unreadable))}.")
    for pk, other in clashing:
        report(f"  Customer {pk} has the same number as customer {other}: kept as typed (merge them by hand).")
    return changed, unreadable, clashing


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_customer_anonymised_at"),
        ("accounts", "0004_location_phone_region_and_sender"),
    ]

    # Numbers are left as they were on the way back: E.164 is still a phone number.
    operations = [migrations.RunPython(phones_to_e164, migrations.RunPython.noop, elidable=True)]
