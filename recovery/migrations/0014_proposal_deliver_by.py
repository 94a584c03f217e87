"""Each approved remedy's delivery deadline, stored once (Proposal.deliver_by), so that the
dashboard's "past the delivery time" and the assignee's reminder agree.

Proposals approved before it are given theirs on the wall clock: the approval (or, never
decided, the proposal) plus the `remedy_delivery_hours` of the policy version in force when
they were decided (`decision_policy`; the latest version where none was kept), read within
the policy's bounds as every reader does. One UPDATE a policy version, in the database, so a
million proposals never pass through Python. Then an approved proposal must have one.
"""

from datetime import timedelta

from django.db import migrations, models
from django.db.models.functions import Coalesce

# recovery.policy.BOUNDS["remedy_delivery_hours"] when this was written (a migration keeps its
# own copy: the rule may change, what it did must not).
HOURS_FROM, HOURS_TO = 1, 30 * 24
GRANTED = ["approved", "delivered"]


def hours_within_bounds(hours):
    return min(max(hours, HOURS_FROM), HOURS_TO)


def backfill_deliver_by(apps, schema_editor):
    Proposal = apps.get_model("recovery", "Proposal")
    PolicyVersion = apps.get_model("recovery", "PolicyVersion")
    granted = Proposal.objects.filter(state__in=GRANTED, deliver_by__isnull=True)
    approved_at = Coalesce(models.F("decided_at"), models.F("proposed_at"))

    def give(proposals, hours):
        proposals.update(deliver_by=approved_at + timedelta(hours=hours_within_bounds(hours)))

    for version_id, hours in PolicyVersion.objects.values_list("pk", "remedy_delivery_hours"):
        give(granted.filter(decision_policy_id=version_id), hours)
    latest = PolicyVersion.objects.order_by("-pk").values_list("remedy_delivery_hours", flat=True).first()
    if latest is not None:
        give(granted.filter(decision_policy__isnull=True), latest)


class Migration(migrations.Migration):
    dependencies = [
        ("recovery", "0013_working_time"),
    ]

    operations = [
        migrations.AddField(
            model_name="proposal",
            name="deliver_by",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill_deliver_by, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="proposal",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "approved"), _negated=True), ("deliver_by__isnull", False), _connector="OR"
                ),
                name="proposal_approved_has_deliver_by",
            ),
        ),
        migrations.RemoveIndex(
            model_name="proposal",
            name="proposal_approved_decided",
        ),
        migrations.AddIndex(
            model_name="proposal",
            index=models.Index(
                condition=models.Q(("state", "approved")), fields=["deliver_by"], name="proposal_approved_deliver_by"
            ),
        ),
    ]
