"""The timeline's old kinds get their public names, and old rows their case's location.

The old kinds map one to one, except "followup", which said several things: its rows are
told apart by the words Amends wrote for each (a one-off reading of old rows; new rows
carry their kind). Payloads of old rows stay empty: what changed was not recorded then.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery

RENAMED = {
    "opened": "case.logged",
    "transition": "case.state_changed",
    "note": "case.note_added",
    "assignment": "case.assigned",
    "severity": "case.severity_changed",
    "contact": "case.contact_made",
}
# Old "followup" rows, by how Amends worded them (first match wins).
FOLLOWUP_WORDING = [
    ("Callback promised for", "case.callback_promised"),
    ("Could not send", "followup.failed"),
    ("Corrective action", "corrective_action.completed"),
    ("The customer answered", "customer.answered"),
    ("Planned:", "followup.planned"),
    ("Moved:", "followup.moved"),
    ("Tried again:", "followup.moved"),
    ("Cancelled:", "followup.cancelled"),
    ("Done:", "followup.done"),
]


def rename_kinds(apps, schema_editor):
    Event = apps.get_model("cases", "Event")
    Case = apps.get_model("cases", "Case")
    for old, new in RENAMED.items():
        Event.objects.filter(kind=old).update(kind=new)
    followups = Event.objects.filter(kind="followup")
    for start, new in FOLLOWUP_WORDING:
        followups.filter(note__startswith=start).update(kind=new)
    followups.filter(note__contains=": not scheduled.").update(kind="followup.skipped")
    followups.update(kind="followup.sent")  # "…: sent by email.", "Reminder sent to …", "Sent to the …"
    Event.objects.filter(location__isnull=True, case__isnull=False).update(
        location_id=Subquery(Case.objects.filter(pk=OuterRef("case_id")).values("location_id")[:1])
    )


def restore_kinds(apps, schema_editor):
    Event = apps.get_model("cases", "Event")
    for old, new in RENAMED.items():
        Event.objects.filter(kind=new).update(kind=old)
    Event.objects.filter(case__isnull=True).delete()
    Event.objects.filter(kind__contains=".").update(kind="followup")


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_event_log")]

    operations = [migrations.RunPython(rename_kinds, restore_kinds)]
