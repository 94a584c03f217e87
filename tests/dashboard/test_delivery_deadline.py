"""'Past the delivery time' on the dashboard agrees with the assignee's reminder: both read the
deadline the approval stored (Proposal.deliver_by), in working time where the policy says so."""

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from cases.models import Case
from dashboard.case_sets import case_set_q
from dashboard.rollups import rollups_rebuild
from dashboard.selectors import Scope, dashboard_figures
from followups.plans import Purpose
from recovery.models import PolicyVersion, Proposal
from tests.conftest import signed_in
from tests.dashboard.test_views import URL
from tests.factories import CaseFactory, ProposalFactory, ProposalLineFactory, office_hours
from tests.followups.test_scheduling import offer, scheduled

LONDON = ZoneInfo("Europe/London")
FRIDAY_1755 = datetime(2026, 12, 4, 17, 55, tzinfo=LONDON)
MONDAY_MORNING = datetime(2026, 12, 7, 9, 30, tzinfo=LONDON)
SCOPE = Scope(FRIDAY_1755.date() - timedelta(days=1), MONDAY_MORNING.date())


def policy(on: bool) -> None:
    latest = PolicyVersion.objects.latest()
    PolicyVersion.objects.create(
        catalogue=latest.catalogue, deadlines_in_working_time=on, remedy_delivery_hours=48, note="test"
    )


@pytest.mark.parametrize(("on", "late"), [(True, 0), (False, 1)])
def test_a_remedy_approved_friday_1755_is_late_on_monday_morning_only_on_the_wall_clock(
    soho, frontline, owner, on, late
):
    # Open 09:00-18:00 on weekdays: in working time, 48 hours from Friday 17:55 are 5 minutes
    # on Friday and five and a bit working days after; on the wall clock, Sunday 17:55.
    soho.time_zone = "Europe/London"
    soho.save()
    office_hours(soho, closes=18)
    policy(on)
    with time_machine.travel(FRIDAY_1755, tick=False):
        case = CaseFactory(location=soho, created_by=frontline, order_value=Decimal("20"), lost="all")
        proposal = offer(case, frontline)
    reminder = scheduled(case)[Purpose.DELIVERY_REMINDER]
    assert proposal.state == Proposal.State.APPROVED and reminder.due_at == proposal.deliver_by
    with time_machine.travel(MONDAY_MORNING, tick=False):
        rollups_rebuild()
        now = timezone.now()
        live = dashboard_figures(SCOPE, now=now).live
        assert (live.undelivered, live.undelivered_overdue) == (1, late)
        # The figure's list of cases, and the page, say the same as the reminder.
        assert Case.objects.filter(case_set_q("undelivered_overdue", now)).count() == late
        assert (reminder.due_at <= now) is bool(late)
        page = signed_in(owner).get(URL, {"period": "7"}).content.decode()
        assert f"{late} past the delivery time" in page


def test_each_approval_keeps_its_own_deadline_when_the_policy_changes(soho, frontline):
    # The deadline is the one the approval was given (what the reminder was timed by): a later
    # policy with other hours does not move it, on the dashboard or for the reminder.
    with time_machine.travel(FRIDAY_1755, tick=False):
        case = CaseFactory(location=soho, created_by=frontline, order_value=Decimal("20"), lost="all")
        proposal = offer(case, frontline)
    assert proposal.deliver_by == FRIDAY_1755 + timedelta(hours=48)
    latest = PolicyVersion.objects.latest()
    PolicyVersion.objects.create(catalogue=latest.catalogue, remedy_delivery_hours=1, note="test")
    with time_machine.travel(FRIDAY_1755 + timedelta(hours=2), tick=False):
        rollups_rebuild()
        live = dashboard_figures(SCOPE, now=timezone.now()).live
    assert (live.undelivered, live.undelivered_overdue) == (1, 0)


def test_a_case_is_late_if_any_of_its_approved_remedies_is(soho, frontline):
    with time_machine.travel(FRIDAY_1755, tick=False):
        case = CaseFactory(location=soho, created_by=frontline)
        for hours_ago in (1, 60):  # one in time, one late: the case is late once
            decided = FRIDAY_1755 - timedelta(hours=hours_ago)
            ProposalLineFactory(proposal=ProposalFactory(case=case, proposed_by=frontline, decided_at=decided))
        rollups_rebuild()
        now = timezone.now()
        live = dashboard_figures(SCOPE, now=now).live
    assert (live.undelivered, live.undelivered_overdue) == (1, 1)
    assert Case.objects.filter(case_set_q("undelivered_overdue", now)).count() == 1
