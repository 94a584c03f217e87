import importlib
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from accounts.roles import Role
from cases.models import Event
from recovery.models import Proposal
from tests.factories import CaseFactory, ProposalFactory, staff

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


BEFORE_DEADLINES, WITH_DEADLINES = ("recovery", "0013_working_time"), ("recovery", "0014_proposal_deliver_by")


@pytest.mark.django_db(transaction=True)
def test_proposals_approved_before_get_their_delivery_deadline_on_the_wall_clock(soho, frontline, manager):
    case = CaseFactory(location=soho, created_by=frontline)
    decided = datetime(2026, 11, 20, 17, 55, tzinfo=UTC)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([BEFORE_DEADLINES])
        then = executor.loader.project_state([BEFORE_DEADLINES]).apps
        Version, Old = then.get_model("recovery", "PolicyVersion"), then.get_model("recovery", "Proposal")
        catalogue = Version.objects.latest("pk").catalogue
        four, unbounded = (Version.objects.create(catalogue=catalogue, remedy_delivery_hours=h) for h in (4, 99_999))
        latest = Version.objects.create(catalogue=catalogue, remedy_delivery_hours=10)

        def proposal(state, version, decided_at=decided):
            return Old.objects.create(
                case_id=case.pk,
                policy_id=latest.pk,
                title="Refund",
                state=state,
                compensation=Decimal(20),
                face_value=Decimal(20),
                cost=Decimal(20),
                proposed_by_id=frontline.pk,
                proposed_at=decided - timedelta(hours=1),
                decided_by_id=manager.pk if decided_at else None,
                decided_at=decided_at,
                decision_policy_id=version.pk if version else None,
                submission_token=uuid.uuid4(),
            ).pk

        expected = {
            proposal("approved", four): decided + timedelta(hours=4),
            proposal("delivered", four): decided + timedelta(hours=4),
            proposal("approved", unbounded): decided + timedelta(hours=30 * 24),  # read within the bounds
            proposal("approved", None): decided + timedelta(hours=10),  # no version kept: the latest's
            proposal("approved", None, None): decided - timedelta(hours=1) + timedelta(hours=10),  # from its proposal
            proposal("pending", None, None): None,
            proposal("rejected", four): None,
        }
        executor = MigrationExecutor(connection)
        executor.migrate([WITH_DEADLINES])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    assert dict(Proposal.objects.filter(pk__in=expected).values_list("pk", "deliver_by")) == expected
    # From now on an approved proposal always has one: the database refuses it without.
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=next(iter(expected))).update(deliver_by=None)
