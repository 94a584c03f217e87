"""Reasons stored before issue 11 said "above your limit": a manager read the proposer's (or, passed
up, an approver's) limit as their own. Name whose it is, as new proposals do. The timeline's
notes are never edited and keep their words."""

from django.conf import settings
from django.db import migrations

YOUR = "is above your limit of"
PASSED_UP = "Passed up to an owner: {why}."


def _name(user) -> str:
    # What User.__str__ says (historical models have no methods).
    return f"{user.first_name} {user.last_name}".strip() or user.username


def name_whose_limit(apps, schema_editor):
    Proposal = apps.get_model("recovery", "Proposal")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    names, changed = {}, []
    for proposal in Proposal.objects.filter(approval_reason__contains=YOUR).iterator(chunk_size=2000):
        whose = proposal.proposed_by_id
        if proposal.approver_role == "Owner":
            # Passed up to an owner, the reason is the approver's own limit: the note it left names them.
            passed = (
                CaseEvent.objects.filter(case_id=proposal.case_id, note=PASSED_UP.format(why=proposal.approval_reason))
                .order_by("-created_at", "-id")
                .values_list("actor_id", flat=True)
                .first()
            )
            whose = passed or whose
        if whose not in names:
            names[whose] = _name(User.objects.get(pk=whose))
        proposal.approval_reason = proposal.approval_reason.replace(YOUR, f"is above {names[whose]}'s limit of", 1)
        changed.append(proposal)
        if len(changed) >= 2000:
            Proposal.objects.bulk_update(changed, ["approval_reason"])
            changed = []
    Proposal.objects.bulk_update(changed, ["approval_reason"])


class Migration(migrations.Migration):
    dependencies = [("recovery", "0006_proposal_proposal_approved_decided"), ("cases", "0004_caseevent_created")]
    operations = [migrations.RunPython(name_whose_limit, migrations.RunPython.noop)]
