"""seed_demo's past year: closed cases whose outcomes depend on what was given and how fast.

The evidence shown on suggestions and the "What works" page compare what became of
customers by remedy, amount and speed: on a dozen demo cases there would be nothing to
compare. So seed_demo also makes HISTORY_CASES closed cases spread over the last year at
the demo locations, for HISTORY_CUSTOMERS customers of their own. Each goes through the
services as staff would have worked it, on the day: logged, contacted (fast, slowly or
never), one of the engine's options proposed (now and then cut or inflated by staff, or
no remedy at all), approved, delivered and closed. What became of the customer, and
their answer to the satisfaction check, are made up by _outcome_model.py: synthetic.
The follow-ups due before now are marked sent as the dispatcher would have sent them
then (nothing is actually sent).

Safe to run again: every case has a fixed submission token, and one already there is
left as it is.
"""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from random import Random

from accounts.roles import Role
from cases import sla
from cases.models import Case
from cases.services import IncidentDetails, case_open, case_record_contact, case_transition
from cases.severity import Lost
from cases.states import Outcome, State
from core.exceptions import ApplicationError
from core.models import Notification
from customers.models import Customer
from customers.services import CustomerDetails, customer_create
from followups.models import FollowUp
from followups.plans import Purpose
from followups.states import FollowUpState
from portal.services import satisfaction_record
from recovery.models import Proposal, ProposalLine
from recovery.policy import RemedyKind
from recovery.selectors import suggestions_for
from recovery.services import MONEY_KINDS, LineInput, proposal_create, proposal_decide, remedy_deliver

from ._bench_vocabulary import CATEGORY_WEIGHTS, FIRST_NAMES, HIDDEN_COSTS, LAST_NAMES, WHAT
from ._outcome_model import Handling, judge

HISTORY_CASES = 900
HISTORY_CUSTOMERS = 600  # most have one incident in the year, some two or three
SHOWCASE_EVERY = 3  # every third history case is like one of the demo's showcase cases
NAMESPACE = uuid.UUID("0b7d3c55-4e8a-4d51-9a0c-5f0e2b8e7a11")
CHANNELS = {"in_person": 40, "phone": 25, "email": 18, "chat": 10, "online_review": 7}
ANSWERED_SHARE = 0.4  # of the satisfaction checks sent
CENT = Decimal("0.01")
OWED = {RemedyKind.CORRECTION, RemedyKind.REIMBURSEMENT}  # staff do not cut what is owed


def token(name: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, name)


def deliver(case: Case, actor, manager, owner, at: datetime) -> None:
    """Approve the case's proposal as far as it needs (the manager, then the owner) and deliver every remedy."""
    proposal = case.proposals.get()
    for approver in (manager, owner):
        needs_owner = proposal.approver_role == Role.OWNER.value
        if proposal.state == Proposal.State.PENDING and not (needs_owner and approver is manager):
            proposal = proposal_decide(
                proposal=proposal, actor=approver, approve=True, expected_revision=proposal.revision, now=at
            )
    for line in proposal.lines.all():
        remedy_deliver(line=line, actor=actor, reference="Done at the counter", now=at)


def outcome_of(case: Case, rng: Random):
    """What became of the customer of a case about to close (synthetic: _outcome_model.py)."""
    contacted = case.first_contact_at
    handling = Handling.of(
        severity=case.severity,
        loss=case.order_value + case.hidden_costs,
        delivered=ProposalLine.objects.filter(proposal__case=case, delivered_at__isnull=False).values_list(
            "kind", "face_value"
        ),
        contact_hours=None if contacted is None else (contacted - case.created_at).total_seconds() / 3600,
        repeat=case.repeat_incident,
        treated_poorly=case.treated_poorly,
    )
    return judge(handling, rng)


def history(
    *,
    locations: dict,
    frontline: dict,
    managers: dict,
    owner,
    now: datetime,
    cases: int = HISTORY_CASES,
    showcase: Sequence[dict] = (),
) -> int:
    """Makes the first `cases` history cases not there yet; returns how many it made. `showcase`:
    open demo cases, each {"code", "order_value", "details"} (IncidentDetails' facts), that a
    share of the history is like (`_facts`)."""
    tokens = {token(f"history-{index}"): index for index in range(cases)}
    there = set(Case.objects.filter(submission_token__in=tokens).values_list("submission_token", flat=True))
    missing = [index for key, index in tokens.items() if key not in there]
    if not missing:
        return 0
    customers = _customers(locations, owner)
    for index in missing:
        _case(index, locations, frontline, managers, owner, customers, now, list(showcase))
    # Their unhappy answers were news a year ago: not in today's inbox.
    urls = [case.get_absolute_url() for case in Case.objects.filter(submission_token__in=tokens).only("pk")]
    Notification.objects.filter(url__in=urls, read_at__isnull=True).update(read_at=now)
    return len(missing)


def _customers(locations: dict, owner) -> dict[str, list[Customer]]:
    """The history's customers by location code, made the first time."""
    rng, codes = Random("demo-history-customers"), list(locations)
    by_code: dict[str, list] = {code: [] for code in codes}
    for index in range(HISTORY_CUSTOMERS):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = f"{first}.{last}.{index}@example.net".lower().replace("'", "")
        code = codes[index % len(codes)]
        value = Decimal(rng.choice([50, 120, 300, 800, 2500]))
        customer = Customer.objects.filter(email=email).first() or customer_create(
            details=CustomerDetails(name=f"{first} {last}", email=email, contact_consent=True, yearly_value=value),
            home_location_id=locations[code].pk,
            actor=owner,
        )
        by_code[code].append(customer)
    return by_code


def _facts(rng: Random, index: int, codes: list[str], showcase: list[dict]) -> tuple[str, dict]:
    """Where a history case happened and what the case form said. Every SHOWCASE_EVERY-th is
    like one of the showcase's open cases (at its location, its price give or take 15%): the
    evidence needs thirty or so similar cases a group before it says anything, and a year of a
    few hundred cases spread over every category and severity has that for none of them."""
    if showcase and index % SHOWCASE_EVERY == 0:
        like = showcase[index // SHOWCASE_EVERY % len(showcase)]
        value = (like["order_value"] * Decimal(rng.uniform(0.85, 1.15))).quantize(CENT)
        return like["code"], {**like["details"], "order_value": value}
    category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
    value = Decimal(rng.choice([8, 18, 35, 64, 120, 240, 380, 900]))
    costs = HIDDEN_COSTS.get(category, "")
    hidden = Decimal(rng.choice([25, 60, 120])) if costs and rng.random() < 0.3 else Decimal(0)
    ruined, poorly = rng.random() < 0.25, rng.random() < 0.15
    share = rng.random()
    lost = Lost.ALL if ruined else Lost.PART if share < 0.15 else Lost.USED
    return codes[index % len(codes)], {
        "category": category,
        "order_value": value,
        "hidden_costs": hidden,
        "hidden_costs_description": costs if hidden else "",
        "overcharge": value if category == "billing_error" else Decimal(0),
        "lost": lost.value,
        "time_lost_minutes": rng.choice([0, 0, 15, 30, 60, 120]) if category in {"delay", "missed_appointment"} else 0,
        "occasion_mattered": rng.random() < 0.1,
        "treated_poorly": poorly,
        "fixed_on_spot": value < 20 and not (ruined or poorly or hidden),
    }


def _case(index, locations, frontline, managers, owner, customers, now, showcase) -> None:
    rng = Random(f"demo-history-{index}")
    code, facts = _facts(rng, index, list(locations), showcase)
    actor, customer = frontline[code], rng.choice(customers[code])
    channel = rng.choices(list(CHANNELS), list(CHANNELS.values()))[0]
    # In the order they happened, over the year to two weeks ago (a repeat looks back from each).
    created = now - timedelta(days=14 + (HISTORY_CASES - index - rng.random()) * 350 / HISTORY_CASES)
    case, _ = case_open(
        actor=actor,
        details=IncidentDetails(
            location_id=locations[code].pk,
            channel=channel,
            description=f"{customer.name.split()[0]} {rng.choice(WHAT[facts['category']])}.",
            occurred_at=created - timedelta(minutes=rng.randrange(10, 600)),
            **facts,
        ),
        customer=customer,
        submission_token=token(f"history-{index}"),
        now=created,
    )
    # How fast someone spoke to them: within hours mostly, a day or more sometimes, now and then never.
    at = created
    speed = rng.random()
    if not sla.contacted_on_logging(channel) and speed < 0.9:
        at += timedelta(hours=rng.expovariate(1 / 3) if speed < 0.6 else rng.uniform(24, 96))
        case = case_record_contact(case=case, actor=actor, note="Spoke to the customer.", now=at)
    remedy = rng.random()
    if remedy >= 0.12 or case.severity == "minor" and remedy >= 0.4:  # else: nothing beyond an apology
        at += timedelta(hours=rng.uniform(0.2, 6))
        _propose(case, actor, rng, at, index)
        at += timedelta(hours=rng.uniform(1, 48))
        deliver(case, actor, managers[code], owner, at)
        case.refresh_from_db()
    closed = at + timedelta(hours=rng.uniform(1, 72))
    verdict = outcome_of(case, rng)
    case_transition(case=case, actor=actor, to_state=State.CLOSED, outcome=Outcome(verdict.outcome), now=closed)
    _settle(case, rng, now, verdict)


def _propose(case, actor, rng: Random, at, index) -> None:
    """One of the engine's options, mostly the first; now and then cut, or made more generous,
    by staff (as the option stands if that goes past the case's cap)."""
    options = [o for o in suggestions_for(case, actor) if any(ln.kind is not RemedyKind.APOLOGY for ln in o.lines)]
    option = rng.choices(options, [60, 25, 15][: len(options)])[0]
    factor = Decimal(rng.choices(["1", "0.4", "0.6", "1.8"], [70, 10, 8, 12])[0])
    for scale in dict.fromkeys([factor, Decimal(1)]):
        lines = [
            LineInput(
                ln.kind,
                (ln.face_value * scale).quantize(CENT)
                if ln.kind in MONEY_KINDS and ln.kind not in OWED
                else ln.face_value,
                ln.reason,
            )
            for ln in option.lines
        ]
        try:
            proposal_create(
                case=case,
                actor=actor,
                title=option.title,
                suggested_rank=option.rank if scale == 1 else None,
                lines=lines,
                submission_token=token(f"history-proposal-{index}"),
                now=at,
            )
            return
        except ApplicationError:
            if scale == 1:
                raise


def _settle(case, rng: Random, now, verdict) -> None:
    """The follow-ups due by now went out then; some customers answered the satisfaction check."""
    for followup in FollowUp.objects.filter(case=case, state=FollowUpState.SCHEDULED.value, due_at__lte=now):
        followup.state, followup.attempts = FollowUpState.SENT.value, 1
        followup.sent_at = followup.due_at + timedelta(seconds=rng.uniform(3, 120))
        followup.save(update_fields=["state", "attempts", "sent_at"])
    check = FollowUp.objects.filter(case=case, purpose=Purpose.SATISFACTION_CHECK.value, sent_at__isnull=False).first()
    if check is not None and check.sent_at is not None and rng.random() < ANSWERED_SHARE:
        answered = min(check.sent_at + timedelta(hours=rng.expovariate(1 / 20)), now - timedelta(minutes=1))
        satisfaction_record(case=case, rating=verdict.rating, will_return=verdict.will_return, now=answered)
