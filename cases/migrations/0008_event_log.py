"""The case timeline becomes the event log (issue 13): CaseEvent is renamed Event, may stand
without a case (a change to a user, a location, the policy), carries its location, the
address it came from, what it is about, and a payload; its kinds get public names (0009
renames the kinds of old rows: data apart from schema, as PostgreSQL wants)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_location_typical_yearly_value"),
        ("cases", "0007_engine_facts"),
        # That migration reads the timeline by its old name: it runs first.
        ("recovery", "0007_approval_reason_says_whose_limit"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("CaseEvent", "Event"),
        migrations.AlterModelOptions(
            name="event",
            options={
                "ordering": ["created_at", "id"],
                "permissions": [("view_audit_trail", "Can read the whole audit trail")],
            },
        ),
        migrations.AlterField(
            model_name="event",
            name="case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="cases.case",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="location",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="accounts.location",
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="ip",
            field=models.GenericIPAddressField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="event",
            name="subject",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.AddField(
            model_name="event",
            name="payload",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(max_length=40),
        ),
        migrations.AlterField(
            model_name="event",
            name="kind",
            field=models.CharField(
                choices=[
                    ("case.logged", "Case logged"),
                    ("case.state_changed", "State changed"),
                    ("case.note_added", "Note"),
                    ("case.contact_made", "Customer contacted"),
                    ("case.callback_promised", "Callback promised"),
                    ("case.callback_made", "Called back"),
                    ("case.assigned", "Assigned"),
                    ("case.severity_changed", "Severity changed"),
                    ("case.overcharge_recorded", "Overcharge recorded"),
                    ("proposal.made", "Remedy proposed"),
                    ("proposal.passed_up", "Passed up to an owner"),
                    ("proposal.decided", "Proposal decided"),
                    ("proposal.amended", "Proposal amended"),
                    ("remedy.delivered", "Remedy delivered"),
                    ("followup.planned", "Follow-up planned"),
                    ("followup.skipped", "Follow-up not scheduled"),
                    ("followup.moved", "Follow-up moved"),
                    ("followup.cancelled", "Follow-up cancelled"),
                    ("followup.done", "Follow-up done"),
                    ("followup.sent", "Follow-up sent"),
                    ("followup.failed", "Follow-up failed"),
                    ("corrective_action.linked", "Corrective action linked"),
                    ("corrective_action.unlinked", "Corrective action unlinked"),
                    ("corrective_action.cancelled", "Corrective action cancelled"),
                    ("corrective_action.completed", "Corrective action completed"),
                    ("customer.answered", "Customer answered"),
                    ("customer.anonymised", "Customer anonymised"),
                    ("policy.published", "Policy published"),
                    ("message_wording.changed", "Message wording changed"),
                    ("user.created", "User created"),
                    ("user.changed", "User changed"),
                    ("user.deleted", "User deleted"),
                    ("location.created", "Location created"),
                    ("location.changed", "Location changed"),
                    ("location.deleted", "Location deleted"),
                ],
                max_length=40,
            ),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["kind", "created_at"], name="event_kind_created"),
        ),
    ]
