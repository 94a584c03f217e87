"""A follow-up's icon follows its state (scheduled, due, sent, done, failed, cancelled), never
its kind: an escalation planned for later is not shown as if it had failed."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from followups.models import FollowUp
from followups.states import FollowUpState, look
from tests.conftest import signed_in
from tests.factories import CaseFactory

NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
WARNING = "bi-exclamation-triangle"


@pytest.mark.parametrize(
    ("state", "due_in", "icon", "words"),
    [
        (FollowUpState.SCHEDULED, timedelta(hours=2), "bi-clock", "Scheduled"),
        (FollowUpState.SCHEDULED, timedelta(0), "bi-hourglass-split", "Due now"),
        (FollowUpState.SCHEDULED, -timedelta(hours=2), "bi-hourglass-split", "Due now"),
        (FollowUpState.SENT, -timedelta(hours=2), "bi-send-check", "Sent"),
        (FollowUpState.DONE, -timedelta(hours=2), "bi-check-circle", "Done"),
        (FollowUpState.FAILED, -timedelta(hours=2), WARNING, "Could not be sent"),
        (FollowUpState.CANCELLED, timedelta(hours=2), "bi-slash-circle", "Cancelled"),
    ],
)
def test_the_look_of_every_state(state, due_in, icon, words):
    assert (
        look(state=state, due_at=NOW + due_in, now=NOW).icon,
        look(state=state, due_at=NOW + due_in, now=NOW).words,
    ) == (icon, words)


def test_only_a_failed_follow_up_looks_like_a_warning():
    warned = {state for state in FollowUpState if look(state=state, due_at=NOW, now=NOW).icon == WARNING}
    assert warned == {FollowUpState.FAILED}


def icons(html: str) -> list[str]:
    return re.findall(r'<i class="bi (bi-[\w-]+)[^"]*"[^>]*(?:title|aria-label)=', html)


@pytest.fixture
def future_escalation(soho, frontline):
    case = CaseFactory(location=soho, created_by=frontline)
    return FollowUp.objects.create(
        case=case, kind="escalation", purpose="callback_escalation", channel="in_app",
        subject="A promised callback was not made", due_at=timezone.now() + timedelta(hours=3),
    )  # fmt: skip


def test_a_future_escalation_is_scheduled_on_the_case_page_and_only_a_failed_one_warns(future_escalation, manager):
    FollowUp.objects.create(
        case=future_escalation.case, kind="customer_message", purpose="remedy_message", channel="email",
        subject="What we did", due_at=timezone.now() - timedelta(hours=1), state="failed",
    )  # fmt: skip
    page = signed_in(manager).get(future_escalation.case.get_absolute_url()).content.decode()
    assert sorted(icons(page)) == ["bi-clock", WARNING]


def test_a_future_escalation_is_scheduled_on_the_follow_ups_page_and_a_due_one_due(future_escalation, manager):
    FollowUp.objects.filter(pk=future_escalation.pk).update(due_at=timezone.now() - timedelta(minutes=1))
    FollowUp.objects.create(
        case=future_escalation.case, kind="escalation", purpose="first_contact_escalation", channel="in_app",
        subject="Nobody has contacted the customer yet", due_at=timezone.now() + timedelta(hours=3),
    )  # fmt: skip
    page = signed_in(manager).get(reverse("followups:list")).content.decode()
    assert sorted(icons(page)) == ["bi-clock", "bi-hourglass-split"]
