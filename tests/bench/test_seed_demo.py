"""seed_demo: safe to run again, and its past year has outcomes that follow what was done."""

import io
import uuid

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Location, User
from bench.management.commands._demo_history import HISTORY_CASES, token
from bench.management.commands.seed_demo import DEMO_NAMESPACE
from cases.models import Case, Event
from cases.states import State
from conversations.models import SavedReply
from core.models import Notification
from followups.models import FollowUp
from portal.models import SatisfactionResponse
from recovery.models import Proposal
from tests.conftest import signed_in

from .test_seeded_outcomes import retention_and_ratings


def seed_demo() -> str:
    out = io.StringIO()
    call_command("seed_demo", password="demo-pass-1234", stdout=out, stderr=io.StringIO())
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Case, Event, Proposal, FollowUp, SatisfactionResponse, Notification, SavedReply)
    }


def test_seed_demo_makes_a_year_of_closed_cases_once_whose_outcomes_follow_what_was_done(db, client):
    said = seed_demo()
    # Where each location's report page is: its random token, never its code.
    for location in Location.objects.all():
        link = f"http://127.0.0.1:8000/report/{location.report_token}/"
        assert f"Customers report a problem at {location.name} on {link}" in said
        assert client.get(f"/report/{location.report_token}/").status_code == 200
        assert client.get(f"/report/{location.code}/").status_code == 404
    made = counts()
    seed_demo()
    assert counts() == made  # the second run finds everything there
    assert made["SavedReply"] == 2  # staff have replies to start from when they write to a customer
    closed = Case.objects.filter(state=State.CLOSED.value)
    assert closed.count() >= HISTORY_CASES
    assert not closed.filter(outcome="").exists()
    assert set(closed.values_list("outcome", flat=True)) == {"retained", "lost", "unknown"}
    # The past year's messages went out then: nothing old is left for the dispatcher to send
    # today, and the news of its decisions and unhappy answers is not in today's inbox.
    history = Case.objects.filter(submission_token__in=[token(f"history-{index}") for index in range(HISTORY_CASES)])
    assert history.count() == HISTORY_CASES and not history.exclude(state=State.CLOSED.value).exists()
    assert not FollowUp.objects.filter(case__in=history, state="scheduled", due_at__lte=timezone.now()).exists()
    unread = set(Notification.objects.filter(read_at__isnull=True).values_list("url", flat=True))
    assert Notification.objects.exists() and not unread & {case.get_absolute_url() for case in history}
    answers = SatisfactionResponse.objects.select_related("case").prefetch_related("case__proposals__lines")
    found = retention_and_ratings(closed.prefetch_related("proposals__lines"), answers)
    kept, known, _, _ = found["proportionate and fast"]
    kept_apology, known_apology, _, _ = found["apology only"]
    assert known >= 30 and known_apology >= 15, found
    # About 90% against 65% on these few cases; the engine's options decide the sample, so
    # the margin asked is small enough to hold when they change.
    assert kept - kept_apology >= 0.05, found

    # The README's walk opens SR-000001 as frontline: its suggestions say how similar customers
    # did, from the demo's past year at that location (a third of it is like the first cases).
    first = Case.objects.get(submission_token=uuid.uuid5(DEMO_NAMESPACE, "case-0"))  # SR-000001 on a new database
    page = signed_in(User.objects.get(username="frontline")).get(first.get_absolute_url())
    assert page.status_code == 200 and "came back" in page.content.decode()
