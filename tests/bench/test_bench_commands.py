"""The benchmark's two commands work end to end on a small data set (SQLite or PostgreSQL)."""

import io
import json
from collections import defaultdict
from dataclasses import fields
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from accounts.models import Location, User
from accounts.selectors import location_calendars
from cases.events import PAYLOADS
from cases.models import Case, Event
from cases.severity import HarmFacts, Lost, assess_severity
from cases.sla import FIRST_CONTACT_WITHIN
from cases.states import TRANSITIONS, State
from corrective.models import CorrectiveAction, CorrectiveActionCase
from customers.models import Customer
from followups.models import FollowUp
from followups.plans import CUSTOMER_PURPOSES
from portal.models import SatisfactionResponse
from recovery.models import LedgerEntry, PolicyVersion, Proposal, ProposalLine
from tests.factories import office_hours


def seed(cases: int, **options) -> None:
    call_command("seed_bench", cases=cases, stdout=io.StringIO(), stderr=io.StringIO(), **options)


def test_seed_bench_makes_cases_that_keep_the_apps_rules(db):
    seed(30, batch=7)
    assert Case.objects.count() == 30
    assert Event.objects.filter(kind=Event.Kind.CASE_LOGGED).count() == 30
    closed = Case.objects.filter(state=State.CLOSED.value)
    assert closed.exists()
    assert not closed.filter(outcome="").exists() and not closed.filter(closed_at__isnull=True).exists()
    assert not Case.objects.exclude(state=State.CLOSED.value).exclude(outcome="").exists()
    now = timezone.now()
    assert not Case.objects.filter(created_at__gt=now).exists()
    assert not Case.objects.filter(closed_at__gt=now).exists()
    assert not Case.objects.filter(first_contact_at__gt=now).exists()
    assert not Case.objects.filter(sla_due_at__lt=F("created_at")).exists()
    for case in Case.objects.all():
        facts = HarmFacts(
            loss=case.order_value,
            hidden_costs=case.hidden_costs,
            lost=Lost(case.lost),
            time_lost_minutes=case.time_lost_minutes,
            occasion_mattered=case.occasion_mattered,
            treated_poorly=case.treated_poorly,
            repeat_incident=case.repeat_incident,
        )
        assert case.suggested_severity == assess_severity(facts).severity.value
    emails = [email for email in Customer.objects.values_list("email", flat=True) if email]
    assert emails == [email.lower() for email in emails] and len(set(emails)) == len(emails)


def test_seed_bench_tops_up_to_n_and_resets(db):
    seed(30)
    seed(40)
    assert Case.objects.count() == 40
    seed(20)  # fewer than there are: nothing added, nothing removed
    assert Case.objects.count() == 40
    seed(10, reset=True)
    assert Case.objects.count() == 10


@pytest.fixture
def bench(db):
    seed(300, batch=120)
    return timezone.now()


def test_seed_bench_timelines_follow_the_allowed_moves_to_the_cases_state(bench):
    reached = {}
    kinds = [Event.Kind.CASE_LOGGED, Event.Kind.CASE_STATE_CHANGED]
    moves = Event.objects.filter(kind__in=kinds).order_by("case_id", "created_at", "id")
    for case_id, from_state, to_state in moves.values_list("case_id", "from_state", "to_state"):
        if case_id in reached:
            assert State(to_state) in TRANSITIONS[State(reached[case_id])] and from_state == reached[case_id]
        reached[case_id] = to_state
    assert reached == dict(Case.objects.values_list("pk", "state"))
    assert not Event.objects.filter(created_at__gt=bench).exists()


def test_seed_bench_timeline_rows_are_what_the_event_log_writer_records(bench):
    # The cases' timelines (the bench's staff and locations, made through the ORM, are on the audit trail too).
    rows = Event.objects.exclude(case=None).values(
        "case_id", "location_id", "case__location_id", "kind", "ip", "subject", "payload"
    )
    assert {row["kind"] for row in rows} >= {
        "case.logged",
        "case.state_changed",
        "case.contact_made",
        "proposal.made",
        "proposal.decided",
        "remedy.delivered",
        "followup.sent",
        "customer.answered",
        "corrective_action.linked",
        "corrective_action.completed",
    }
    for row in rows:
        assert row["location_id"] == row["case__location_id"] and row["ip"] is None and row["subject"] == ""
        # The shape of the kind's payload class, field for field.
        assert set(row["payload"]) == {f.name for f in fields(PAYLOADS[row["kind"]])}, row
    # What the payloads name exists.
    for kind, key, model in (
        ("proposal.made", "proposal_id", Proposal),
        ("proposal.decided", "proposal_id", Proposal),
        ("remedy.delivered", "line_id", ProposalLine),
        ("followup.sent", "followup_id", FollowUp),
        ("followup.planned", "followup_id", FollowUp),
        ("customer.answered", "response_id", SatisfactionResponse),
        ("corrective_action.completed", "action_id", CorrectiveAction),
    ):
        named = {row["payload"][key] for row in rows if row["kind"] == kind}
        assert named and model.objects.filter(pk__in=named).count() == len(named), kind
    answered = Event.objects.filter(kind="customer.answered").select_related("case__satisfaction")
    for event in answered:
        assert event.payload["response_id"] == event.case.satisfaction.pk


def test_seed_bench_writes_each_change_in_the_services_order(bench):
    """proposal_create, proposal_decide and remedy_deliver write their entry, then a
    note-less move at the same moment; only a closing move has words (its outcome)."""
    timelines = defaultdict(list)
    for event in Event.objects.order_by("case_id", "created_at", "id"):
        timelines[event.case_id].append(event)
    before_move = {
        State.AWAITING_APPROVAL.value: "proposal.made",
        State.REMEDY_DELIVERED.value: "remedy.delivered",
    }
    for timeline in timelines.values():
        for previous, event in zip(timeline, timeline[1:], strict=False):
            if event.kind == "case.state_changed" and event.to_state in before_move:
                assert previous.kind == before_move[event.to_state] and previous.created_at == event.created_at
            if previous.kind == "proposal.decided":
                assert event.kind == "case.state_changed" and event.created_at == previous.created_at
                assert event.from_state == State.AWAITING_APPROVAL.value
        for event in timeline:
            if event.kind == "case.state_changed":
                payload = event.payload
                assert (payload["before"], payload["after"]) == (event.from_state, event.to_state)
                closing = event.to_state == State.CLOSED.value
                assert bool(event.note) == closing == bool(payload["outcome"])
            if event.kind == "remedy.delivered" and event.payload["all_delivered"]:
                assert event.note.startswith("Delivered “")


def test_seed_bench_marks_the_first_contact_where_the_case_stops_its_clock(bench):
    flagged = defaultdict(list)
    for event in Event.objects.filter(kind__in=["case.state_changed", "case.contact_made", "case.callback_made"]):
        if event.payload["first_contact"]:
            flagged[event.case_id].append(event.created_at)
    assert flagged
    for case in Case.objects.all():
        if case.first_contact_at is None or case.first_contact_at == case.created_at:  # never, or on logging
            assert case.pk not in flagged
        else:
            assert flagged[case.pk] == [case.first_contact_at]


def test_seed_bench_delivers_approved_remedies_after_the_decision_and_never_in_the_future(bench):
    delivered = ProposalLine.objects.filter(delivered_at__isnull=False)
    assert delivered.exclude(kind="apology").exists()
    assert not delivered.filter(Q(delivered_at__lt=F("proposal__decided_at")) | Q(delivered_at__gt=bench)).exists()
    assert not delivered.filter(delivered_by__isnull=True).exists()
    assert not delivered.exclude(proposal__state__in=["approved", "delivered"]).exists()
    assert not ProposalLine.objects.filter(proposal__state="delivered", delivered_at__isnull=True).exists()
    # One proposal waits for each case awaiting approval, and for no other case.
    pending = Proposal.objects.filter(state="pending")
    assert sorted(pending.values_list("case_id", flat=True)) == sorted(
        Case.objects.filter(state="awaiting_approval").values_list("pk", flat=True)
    )
    # Within the proposer's limit it is approved on the spot; above it, by someone else.
    assert not Proposal.objects.filter(approver_role="", compensation__gt=50).exists()
    assert not Proposal.objects.filter(decided_by=F("proposed_by")).exists()


def test_seed_bench_ledger_holds_every_approved_and_delivered_amount(bench):
    granted = ProposalLine.objects.filter(face_value__gt=0, proposal__state__in=["approved", "delivered"])
    assert granted.exists()
    approved = LedgerEntry.objects.filter(entry="approved")
    assert sorted(approved.values_list("line_id", flat=True)) == sorted(granted.values_list("pk", flat=True))
    delivered = LedgerEntry.objects.filter(entry="delivered")
    assert sorted(delivered.values_list("line_id", flat=True)) == sorted(
        granted.filter(delivered_at__isnull=False).values_list("pk", flat=True)
    )
    assert not delivered.exclude(created_at=F("line__delivered_at")).exists()


def test_seed_bench_follow_ups_are_settled_and_messages_go_only_to_consenting_customers(bench):
    followups = FollowUp.objects.all()
    assert followups.filter(state="sent", purpose="satisfaction_check").exists()
    # Nothing left for the dispatcher: a scheduled bench row would be sent by any worker.
    assert not followups.filter(state="scheduled").exists()
    assert not followups.filter(Q(sent_at__lt=F("due_at")) | Q(sent_at__gt=bench) | Q(done_at__gt=bench)).exists()
    assert not followups.filter(
        purpose__in=[purpose.value for purpose in CUSTOMER_PURPOSES], case__customer__contact_consent=False
    ).exists()
    answers = SatisfactionResponse.objects.all()
    assert answers.exists()
    for answer in answers:
        check = FollowUp.objects.get(case=answer.case_id, purpose="satisfaction_check")
        assert check.sent_at <= answer.created_at <= bench


def test_seed_bench_tells_the_customers_of_done_corrective_actions(bench):
    links = CorrectiveActionCase.objects.all()
    assert links.exists()
    assert not links.exclude(case__location=F("action__location")).exists()
    assert not links.filter(Q(linked_at__lt=F("case__created_at")) | Q(linked_at__gte=F("action__done_at"))).exists()
    done = links.filter(action__state="done")
    assert not done.filter(followup__isnull=True, not_told_reason="").exists()
    assert not done.filter(followup__isnull=False).exclude(followup__purpose="corrective_message").exists()
    assert not links.exclude(action__state="done").filter(Q(followup__isnull=False) | ~Q(not_told_reason="")).exists()


def test_seed_bench_reset_deletes_every_bench_row(db):
    seed(100)
    assert Proposal.objects.exists() and FollowUp.objects.exists() and CorrectiveActionCase.objects.exists()
    seed(0, reset=True)
    # The timelines go with their cases; the trail of the bench's staff and locations stays, as every audit entry does.
    assert not Event.objects.exclude(case=None).exists()
    for model in (
        Case,
        Customer,
        Proposal,
        ProposalLine,
        LedgerEntry,
        FollowUp,
        SatisfactionResponse,
        CorrectiveAction,
        CorrectiveActionCase,
    ):
        assert not model.objects.exists(), model.__name__
    assert not User.objects.filter(username__startswith="bench-").exists()
    assert not Location.objects.filter(code__startswith="bench-").exists()


def test_bench_writes_the_results(db, tmp_path):
    seed(30)
    output = tmp_path / "results.json"
    call_command("bench", requests=3, warmup=1, output=str(output), stdout=io.StringIO(), stderr=io.StringIO())
    results = json.loads(output.read_text())
    assert results["n_cases"] == 30
    assert results["database"] == connection.vendor
    assert {"cores", "python", "django"} <= set(results["machine"])
    assert {
        "case_list",
        "case_list_manager",
        "case_list_filtered",
        "case_list_search",
        "case_detail",
        "customer_detail",
        "case_create",
        "api_case_create",
        "api_case_list",
        "api_case_list_mine",
    } <= set(results["pages"])
    for name, row in results["pages"].items():
        assert 0 < row["p50_ms"] <= row["p95_ms"]
        assert row["ratio_to_floor_p50"] > 0
        assert row["queries"] > 0 or name == "suggestion"  # the engine never touches the database
    assert results["pages"]["suggestion"]["queries"] == 0
    assert 0 < results["floor"]["p50_ms"] <= results["floor"]["p95_ms"]
    replay = results["recovery_replay"]  # a year of the first bench location, in seconds
    assert replay["seconds"] > 0 and replay["months"] == 12 and replay["location"] == "bench-0"
    # every case bench-0 logged in the last 12 months (the seed spreads 30 over two years, so
    # how many is the seed's business, not the test's)
    year = Case.objects.filter(location__code="bench-0", created_at__gte=timezone.now() - timedelta(days=365))
    assert replay["cases"] == year.count()


def test_seed_bench_counts_deadlines_in_working_time_where_the_policy_says_so(db):
    seed(1)
    for location in Location.objects.all():
        office_hours(location)
    latest = PolicyVersion.objects.latest()
    PolicyVersion.objects.create(catalogue=latest.catalogue, deadlines_in_working_time=True, note="Working time")
    seed(40)
    written = Case.objects.exclude(channel__in=["in_person", "phone"]).order_by("id")[1:]
    assert written and all(case.sla_in_working_time for case in written)
    calendars = location_calendars(Location.objects.values_list("pk", flat=True))
    for case in written:
        calendar = calendars[case.location_id]
        # Due inside open time (or on a closing time), exactly the channel's allowance of it after logging.
        assert calendar.is_open(case.sla_due_at - timedelta(seconds=1))
        assert calendar.between(case.created_at, case.sla_due_at) == FIRST_CONTACT_WITHIN[case.channel]
    # An approved remedy is due the policy's hours of open time after its approval, and the
    # reminder to deliver it is due then, as the services have it.
    first = Case.objects.order_by("id").first()  # seeded before the switch: on the wall clock
    granted = Proposal.objects.filter(state__in=Proposal.GRANTED_STATES).exclude(case=first).select_related("case")
    assert granted.exists()
    within = timedelta(hours=PolicyVersion.objects.latest().remedy_delivery_hours)
    reminders = dict(FollowUp.objects.filter(purpose="delivery_reminder").values_list("case_id", "due_at"))
    for proposal in granted:
        assert calendars[proposal.case.location_id].between(proposal.decided_at, proposal.deliver_by) == within
        if proposal.state == "approved":
            assert reminders[proposal.case_id] == proposal.deliver_by
