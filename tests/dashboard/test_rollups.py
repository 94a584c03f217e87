"""The roll-ups hold the same numbers as the cases: every figure of the dashboard is checked
against a count straight from the cases (the list it clicks through to), over a varied data
set, after a rebuild and after the minute-by-minute refresh."""

import random
import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine
from django.db.models import Count, Sum
from django.utils import timezone

from accounts.roles import Role
from cases import services as case_services
from cases.states import Outcome, State
from corrective.models import CorrectiveActionCase
from dashboard import facts
from dashboard.case_sets import case_set_q
from dashboard.models import CaseRollup, Grain, RollupState
from dashboard.periods import percentile_bucket
from dashboard.rollups import rollups_rebuild, rollups_refresh
from dashboard.selectors import Scope, _cases_in, dashboard_figures, scope_for
from followups.models import FollowUp
from recovery.models import Proposal, ProposalLine
from recovery.policy import RemedyKind
from recovery.services import LineInput, proposal_create, remedy_deliver
from tests.factories import (
    CaseFactory,
    CorrectiveActionFactory,
    CustomerFactory,
    ProposalFactory,
    ProposalLineFactory,
    SatisfactionResponseFactory,
    SentCustomerMessageFactory,
    staff,
)

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)

# Figure -> the case set whose count it must equal.
SAME_AS = {
    "cases": "",
    "contacted": "contacted",
    "sla_on_time": "sla_kept",
    "resolved": "resolved",
    "granted_cases": "granted",
    "on_the_spot": "on_the_spot",
    "decided": "decided",
    "remedy_delivered": "remedy_delivered",
    "told_remedy": "told_remedy",
    "corrective_done": "corrective_done",
    "callbacks_kept": "callbacks_kept",
    "callbacks_missed": "callbacks_missed",
    "apology_only": "apology_only",
    "closed_retained": "retained",
    "closed_lost": "lost",
    "closed_unknown": "unknown",
    "answers": "answered",
    "will_return_no": "will_not_return",
    "followups_failed": "followups_failed",
}


def varied_cases(soho, camden, count=80, seed=7):
    """Cases of every kind, logged over the last 60 days at two locations, made with the
    factories (no timeline: the rebuild reads the rows, not the timeline)."""
    r = random.Random(seed)
    people = {loc.pk: [staff(Role.FRONTLINE, loc), staff(Role.MANAGER, loc)] for loc in (soho, camden)}
    customers = [CustomerFactory(home_location=soho) for _ in range(25)]
    done_action = CorrectiveActionFactory(location=soho, state="done", done_at=NOW - timedelta(days=1))
    for _ in range(count):
        location = r.choice([soho, camden])
        frontline, manager = people[location.pk]
        created = NOW - timedelta(days=r.uniform(0, 60))
        contacted = r.random()
        state = r.choice(["open", "in_recovery", "closed", "closed"])
        case = CaseFactory(
            location=location,
            customer=r.choice(customers),
            category=r.choice(["delay", "billing_error", "staff_conduct"]),
            severity=r.choice(["minor", "moderate", "major", "critical"]),
            created_at=created,
            sla_due_at=created + timedelta(hours=r.choice([0, 1, 4, 24, 2000])),
            first_contact_at=None if contacted < 0.2 else created + timedelta(minutes=r.choice([0, 20, 300, 3000])),
            state=state,
            closed_at=created + timedelta(days=r.uniform(0.1, 20)) if state == "closed" else None,
            outcome=r.choice(["retained", "lost", "unknown"]) if state == "closed" else "",
            created_by=frontline,
            assignee=r.choice([frontline, manager, None]),
        )
        if r.random() < 0.6:
            on_the_spot = r.random() < 0.5
            proposal = ProposalFactory(
                case=case,
                proposed_by=frontline,
                proposed_at=created,
                state=r.choice(["approved", "delivered", "rejected"]),
                decided_at=created + timedelta(hours=0 if on_the_spot else r.uniform(0.2, 30)),
                decided_by=None if on_the_spot else manager,
            )
            if proposal.state == "rejected":
                proposal.decided_by = manager
                proposal.save()
            for kind in r.sample(["apology", "gift_card", "full_refund", "correction"], r.randint(1, 2)):
                delivered = proposal.state == "delivered" or r.random() < 0.3
                ProposalLineFactory(
                    proposal=proposal,
                    kind=kind,
                    face_value=Decimal(r.choice([0, 10, 35])),
                    cost=Decimal(r.choice([0, 7, 20])),
                    delivered_at=created + timedelta(days=1) if delivered else None,
                )
            if r.random() < 0.5:
                SentCustomerMessageFactory(case=case, purpose="remedy_message", due_at=created + timedelta(days=1))
        if r.random() < 0.15:
            reminder = r.random() < 0.5
            FollowUp.objects.create(
                case=case,
                kind="staff_reminder",
                purpose="callback_reminder",
                channel="in_app",
                subject="Call back",
                due_at=created + timedelta(hours=1),
                state="done" if reminder else "sent",
                sent_at=created + timedelta(hours=1),
                done_at=created + timedelta(hours=2) if reminder else None,
            )
            if not reminder:
                FollowUp.objects.create(
                    case=case,
                    kind="escalation",
                    purpose="callback_escalation",
                    channel="in_app",
                    subject="Not called",
                    due_at=created + timedelta(hours=3),
                    state="sent",
                    sent_at=created + timedelta(hours=3, minutes=8),
                )
        if r.random() < 0.1:
            FollowUp.objects.create(
                case=case, kind="customer_message", purpose="remedy_message", channel="sms", subject="x",
                due_at=created, state="failed", last_error="No provider",
            )  # fmt: skip
        if state == "closed" and r.random() < 0.5:
            SatisfactionResponseFactory(
                case=case, rating=r.randint(1, 5), will_return=r.choice(["yes", "no", "not_sure"])
            )
        if r.random() < 0.2:
            case.corrective_links.create(action=done_action, linked_by=frontline)
            if r.random() < 0.5:
                SentCustomerMessageFactory(case=case, purpose="corrective_message")


def scopes(soho):
    today = NOW.date()
    return [
        Scope(today - timedelta(days=60), today),  # months and days at both ends
        Scope(today - timedelta(days=20), today - timedelta(days=3), [soho.pk]),
        Scope(today - timedelta(days=60), today, None, "delay", "major"),
    ]


def assert_rollups_match_the_cases(scope):
    now = timezone.now()
    got = dashboard_figures(scope, now=now)
    totals, cases = got.totals, _cases_in(scope)
    for figure, name in SAME_AS.items():
        expected = cases.filter(case_set_q(name, now)).count() if name else cases.count()
        assert totals[figure] == expected, figure
    assert totals["repeat_second"] + totals["repeat_later"] == cases.filter(case_set_q("repeat", now)).count()
    assert got.sla.missed == cases.filter(case_set_q("sla_missed", now)).count()
    assert got.live.still_in_time == cases.filter(case_set_q("still_in_time", now)).count()
    for name in ("undelivered", "undelivered_overdue"):
        assert getattr(got.live, name) == cases.filter(case_set_q(name, now)).count(), name
    answered = cases.filter(case_set_q("answered", now))
    assert totals["recovered_answers"] == answered.filter(case_set_q("recovered", now)).count()
    assert totals["rating_1"] + totals["rating_2"] == cases.filter(case_set_q("unhappy", now)).count()
    assert totals["rating_sum"] == (answered.aggregate(s=Sum("satisfaction__rating"))["s"] or 0)
    lines = ProposalLine.objects.filter(proposal__case__in=cases, proposal__state__in=["approved", "delivered"])
    lines = lines.exclude(kind="correction")
    granted = lines.aggregate(face=Sum("face_value"), cost=Sum("cost"))
    delivered = lines.filter(delivered_at__isnull=False).aggregate(face=Sum("face_value"), cost=Sum("cost"))
    assert (totals["granted_face"], totals["granted_cost"]) == (granted["face"] or 0, granted["cost"] or 0)
    assert (totals["delivered_face"], totals["delivered_cost"]) == (delivered["face"] or 0, delivered["cost"] or 0)
    # Durations: the median's bucket is the bucket of the true median.
    waits = sorted(
        (case.first_contact_at - case.created_at).total_seconds()
        for case in cases.filter(first_contact_at__isnull=False)
    )
    if waits:
        true_median = waits[max(1, -(-len(waits) // 2)) - 1]
        assert got.contact.median_bucket == facts.bucket_of(true_median)
        assert totals["contact_seconds"] == sum(round(max(w, 0)) for w in waits)
    assert percentile_bucket(list(got.contact.histogram), 0.5) == got.contact.median_bucket
    for index, count in enumerate(got.contact.histogram):
        assert cases.filter(case_set_q(f"contact_{index}", now)).count() == count, index
    for rating in facts.RATINGS:
        assert cases.filter(case_set_q(f"rating_{rating}", now)).count() == totals[f"rating_{rating}"]
    by_kind = {row.kind: row for row in got.money_by_kind}
    for kind, row in by_kind.items():
        raw = ProposalLine.objects.filter(
            proposal__case__in=cases, proposal__state__in=["approved", "delivered"], kind=kind
        ).aggregate(n=Sum("cost"))
        assert row.granted_cost == raw["n"], kind
    assert sum(row.cases for row in got.staff) == cases.filter(assignee__isnull=False).count()
    links = CorrectiveActionCase.objects.filter(case__in=cases).values("action_id").annotate(n=Count("id"))
    assert {pk: n for pk, _, n in got.corrective} == {row["action_id"]: row["n"] for row in links}


def test_the_roll_ups_hold_the_numbers_of_the_cases(dataset, soho):
    with time_machine.travel(NOW, tick=False):
        for scope in scopes(soho):
            assert_rollups_match_the_cases(scope)


def test_month_rows_are_the_sums_of_their_days(dataset):
    months = CaseRollup.objects.filter(grain=Grain.MONTH).aggregate(n=Sum("cases"), c=Sum("granted_cost"))
    days = CaseRollup.objects.filter(grain=Grain.DAY).aggregate(n=Sum("cases"), c=Sum("granted_cost"))
    assert months == days and months["n"] == 80


def test_an_empty_range_has_no_figures(dataset, soho):
    with time_machine.travel(NOW, tick=False):
        got = dashboard_figures(Scope(NOW.date() + timedelta(days=1), NOW.date() + timedelta(days=9)))
    assert got.totals["cases"] == 0
    assert (got.contact.median, got.sla.kept.percent, got.verdict.average_rating) == ("–", "–", None)


def test_a_case_logged_just_after_local_midnight_counts_on_that_local_day(soho, frontline):
    # 23:30 UTC on 29 June is 00:30 on 30 June in London (summer time).
    late = datetime(2026, 6, 29, 23, 30, tzinfo=ZoneInfo("UTC"))
    CaseFactory(location=soho, created_by=frontline, created_at=late)
    with time_machine.travel(NOW, tick=False):
        rollups_rebuild()
        on_the_30th = dashboard_figures(Scope(late.date() + timedelta(days=1), late.date() + timedelta(days=1)))
        on_the_29th = dashboard_figures(Scope(late.date(), late.date()))
    assert (on_the_30th.totals["cases"], on_the_29th.totals["cases"]) == (1, 0)


def test_a_manager_sees_only_their_locations(dataset, soho, manager):
    with time_machine.travel(NOW, tick=False):
        mine = dashboard_figures(scope_for(manager, start=NOW.date() - timedelta(days=60), end=NOW.date()))
        assert mine.scope.location_ids == [soho.pk]
        assert mine.totals["cases"] == _cases_in(mine.scope).count() < 80


def give_a_gift_card_and_close(case, actor, face=Decimal(15)):
    """Through the services: a gift card approved on the spot and delivered, the case closed, retained."""
    proposal, _ = proposal_create(
        case=case, actor=actor, title="A gift card",
        lines=[LineInput(kind=RemedyKind.GIFT_CARD, face_value=face)],
        submission_token=uuid.uuid4(), below_floor_reason="The customer asked for little.",
    )  # fmt: skip
    for line in proposal.lines.all():
        remedy_deliver(line=line, actor=actor)
    case.refresh_from_db()
    case_services.case_transition(case=case, actor=actor, to_state=State.CLOSED, outcome=Outcome.RETAINED)


def test_the_refresh_follows_what_the_services_do(soho, frontline, manager, customer):
    """Cases changed through the services (each change writes its timeline line) are
    brought into the roll-ups by the next refresh, and only the days they were logged on."""
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        rollups_refresh()  # the first run builds everything (nothing yet)
        case = CaseFactory(location=soho, customer=customer, created_by=frontline, first_contact_at=None,
                           sla_due_at=timezone.now() + timedelta(hours=4))  # fmt: skip
        case_services.case_record_contact(case=case, actor=frontline, note="Called")
    assert CaseRollup.objects.filter(day=(NOW - timedelta(days=3)).date()).count() == 0
    with time_machine.travel(NOW - timedelta(days=3) + timedelta(minutes=1), tick=False):
        assert rollups_refresh() == 1
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        case.refresh_from_db()
        give_a_gift_card_and_close(case, frontline)
    with time_machine.travel(NOW, tick=False):
        assert rollups_refresh() == 1
        assert RollupState.objects.get().scanned_to == timezone.now()
        assert_rollups_match_the_cases(Scope(NOW.date() - timedelta(days=5), NOW.date()))
        totals = dashboard_figures(Scope(NOW.date() - timedelta(days=5), NOW.date())).totals
    assert (totals["cases"], totals["granted_cases"], totals["on_the_spot"], totals["closed_retained"]) == (1, 1, 1, 1)
    assert Proposal.objects.get().state == "delivered"
