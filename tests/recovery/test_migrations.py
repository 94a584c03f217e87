import importlib

from django.apps import apps

from accounts.roles import Role
from cases.models import Event
from recovery.models import Proposal
from tests.factories import ProposalFactory, staff

whose_limit = importlib.import_module("recovery.migrations.0007_approval_reason_says_whose_limit")


class _AppsThen:
    """The app registry as the migration knew it: the timeline's model was called CaseEvent
    until cases 0008 renamed it (same table, same columns the migration reads)."""

    def get_model(self, app_label, name):
        return apps.get_model(app_label, "Event" if name == "CaseEvent" else name)


def test_reasons_stored_before_say_whose_limit_it_was(meal_case, frontline, manager, soho):
    waiting = ProposalFactory(
        case=meal_case,
        proposed_by=frontline,
        state=Proposal.State.PENDING,
        approver_role="Manager",
        approval_reason="£71.00 is above your limit of £50.00",
    )
    approver = staff(Role.MANAGER, soho, first_name="Mo", last_name="Low")
    why = "£600.00 is above your limit of £500.00"
    passed_up = ProposalFactory(proposed_by=frontline, approver_role="Owner", approval_reason=why)
    Event.objects.create(
        case=passed_up.case, kind="case.note_added", actor=approver, note=f"Passed up to an owner: {why}."
    )
    untouched = ProposalFactory(proposed_by=frontline, approval_reason="gift card needs a manager")

    whose_limit.name_whose_limit(_AppsThen(), None)

    for proposal in (waiting, passed_up, untouched):
        proposal.refresh_from_db()
    assert waiting.approval_reason == f"£71.00 is above {frontline}'s limit of £50.00"
    assert passed_up.approval_reason == "£600.00 is above Mo Low's limit of £500.00"
    assert untouched.approval_reason == "gift card needs a manager"
