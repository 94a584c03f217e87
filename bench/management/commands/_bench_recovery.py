"""seed_bench's recoveries: what happened to a case after it was logged, as the services write it.

`Recovery.life` decides a case's moves together with its remedy. The remedy is one of the
suggestion engine's options (recovery/suggestions.py) under the policy in force, proposed
by the frontline member of staff who logged the case: approved on the spot within their
limit, else decided by the location's manager (or the owner, above a manager's limit) some
hours later; its remedies reach the customer within days. The rows are those
recovery/services.py writes: the proposal and its lines, a ledger row for every approved
and every delivered amount, and the timeline entries (the event log's kinds, in the order
the services record them, with their wording and payloads: `Entry`). Nothing happens after
`now`. A closed case's outcome waits for its first contact: _bench_aftercare.py decides it.

The monthly compensation budget is left out: at bench volumes (thousands of cases a
location a month) it would send nearly every proposal to the owner.
"""

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from decimal import Decimal

from accounts.role import A_ROLE
from accounts.working_time import WorkingCalendar
from cases import events
from cases.events import Kind
from cases.severity import Severity
from cases.states import State
from core.money import format_money
from recovery.models import LedgerEntry, Proposal
from recovery.policy import RemedyKind, Role, delivery_due
from recovery.selectors import PolicyInForce
from recovery.services import MONEY_KINDS
from recovery.suggestions import Asker, CaseFacts, Line, Option, approval_needed, suggest
from recovery.totals import totals_of, totals_words

from ._bench_vocabulary import DELIVERY_REFERENCES, REJECTIONS

CENT = Decimal("0.01")
ACTIVE = [
    State.OPEN,
    State.IN_RECOVERY,
    State.AWAITING_APPROVAL,
    State.REMEDY_DELIVERED,
    State.FOLLOWING_UP,
]
# Closed from moderate up with no remedy beyond an apology (the dashboard's "apology only",
# dashboard/facts.py) about one case in ten: proposed the apology alone, closed without a
# proposal, or refused by the manager and closed. Shares of those closed cases:
APOLOGY_ONLY_SHARE = 0.045
NO_PROPOSAL_SHARE = 0.022
REJECTED_SHARE = {"closed": 0.045, "in_recovery": 0.25}  # of the proposals a manager or owner decides
# proposal_create always starts a proposal with this line.
APOLOGY = Line(RemedyKind.APOLOGY, Decimal("0.00"), Decimal("0.00"), "A prompt, sincere apology.")
CALLS = {RemedyKind.MANAGER_CALL, RemedyKind.OWNER_CALL}
OWED = {RemedyKind.CORRECTION, RemedyKind.REIMBURSEMENT}  # staff do not cut what is owed
EVENT_COLUMNS = [
    "case_id",
    "location_id",
    "kind",
    "actor_id",
    "created_at",
    "ip",
    "subject",
    "from_state",
    "to_state",
    "note",
    "payload",
]
LEDGER_COLUMNS = ["line_id", "location_id", "entry", "kind", "amount", "cost", "is_compensation", "created_at"]


@dataclass(frozen=True)
class Offer:
    title: str
    rank: int | None  # None: edited from the suggestion
    lines: list[Line]
    below_floor_reason: str
    needs: bool
    approver: Role | None
    why: str

    @property
    def compensation(self) -> Decimal:
        return sum((ln.face_value for ln in self.lines if ln.counts_as_compensation), Decimal(0))

    @property
    def summary(self) -> str:
        """As the services write it on the timeline (`recovery.services._summary`)."""
        return f"“{self.title}” ({totals_words(totals_of(self.lines), format_money)})"


@dataclass(slots=True)
class Entry:
    """One row of the event log as `cases.events.record` writes it: the case's location, no
    address (nobody's request), no subject, and the payload of the kind's own class, kept
    typed until the case is complete (its closing outcome and its first contact are known
    last) and written as its `as_json()`.

    Bench is tooling, and seeding a million cases through `record` (a model instance, a save
    and the reactions per row) would take hours: it copies these rows in bulk instead,
    together with the follow-ups the reactions would have planned."""

    case_id: int
    location_id: int
    kind: str
    actor: int | None
    at: datetime
    payload: events.Payload
    note: str = ""
    from_state: str = ""
    to_state: str = ""

    def row(self) -> list:
        """The row, in EVENT_COLUMNS order."""
        if type(self.payload) is not events.PAYLOADS[self.kind]:  # as `record` refuses it
            raise TypeError(f"{self.kind} carries a {events.PAYLOADS[self.kind].__name__}, not {self.payload!r}")
        return [
            self.case_id,
            self.location_id,
            self.kind,
            self.actor,
            self.at,
            None,
            "",
            self.from_state,
            self.to_state,
            self.note[:4000],
            self.payload.as_json(),
        ]


# The entries that stop the first-contact clock, as the services decide it: a contact or a
# callback made, or any move on but closing (`case_transition`).
FIRST_CONTACT_KINDS = {Kind.CASE_CONTACT_MADE, Kind.CASE_CALLBACK_MADE, Kind.CASE_STATE_CHANGED}


def mark_first_contact(entries: list[Entry], *, contacted_on_logging: bool) -> datetime | None:
    """Sets `first_contact` on the payload of the entry that was the case's first contact, as
    the services would have when they wrote it; returns its time (None if there was none, or
    if the case counted as contacted when it was logged)."""
    if contacted_on_logging:
        return None
    candidates = [
        entry for entry in entries if entry.kind in FIRST_CONTACT_KINDS and entry.to_state != State.CLOSED.value
    ]
    if not candidates:
        return None
    first = min(candidates, key=lambda entry: entry.at)  # the earliest; on a tie, the first written
    first.payload = replace(first.payload, first_contact=True)  # type: ignore[call-arg]  # a StateChanged, ContactMade or CallbackMade: each has first_contact
    return first.at


@dataclass
class Life:
    """One case after it was logged: its timeline entries and its recovery rows."""

    state: State = State.OPEN
    outcome: str = ""
    closed_at: datetime | None = None
    events: list[Entry] = field(default_factory=list)
    proposal: dict | None = None
    lines: list[dict] = field(default_factory=list)
    ledger: list[list] = field(default_factory=list)
    approved_at: datetime | None = None
    deliver_by: datetime | None = None  # when the approved remedy is due (recovery.policy.delivery_due)
    delivered_at: datetime | None = None  # when the last remedy reached the customer
    # A closed case's closing entry: Aftercare writes its outcome once the first contact is known.
    closing: Entry | None = None

    @property
    def first_move(self) -> Entry | None:
        return next((event for event in self.events if event.kind == Kind.CASE_STATE_CHANGED), None)


class Recovery:
    """Makes each case's `Life`, numbering proposals and lines from the ids given."""

    def __init__(
        self,
        *,
        rng,
        now,
        in_force: PolicyInForce,
        managers,
        owner_id,
        proposal_id,
        line_id,
        calendars: dict[int, WorkingCalendar] | None = None,
    ):
        self.random, self.now, self.in_force = rng, now, in_force
        # Where the policy counts deadlines in working time: the locations' calendars (none open
        # round the clock), by which an approved remedy's delivery deadline is counted.
        self.calendars = calendars or {}
        self.delivery_within = timedelta(hours=in_force.row.remedy_delivery_hours)
        self.managers, self.owner_id = managers, owner_id
        self.proposal_id, self.line_id = proposal_id, line_id
        self.asker = Asker(Role.FRONTLINE)

    def life(
        self, *, case_id, location_id, actor, facts: CaseFacts, yearly_value, created: datetime, closing: bool
    ) -> Life:
        """Old cases are closed; recent ones are anywhere in their life. Moves happen within
        days of logging; a case too young for them all has them squeezed into its age."""
        r = self.random
        state = State.CLOSED if closing else r.choice(ACTIVE)
        options = suggest(
            facts,
            asker=self.asker,
            yearly_value=yearly_value,
            policy=self.in_force.policy,
            catalogue=self.in_force.catalogue,
            money=format_money,
        )
        # The app refuses a proposal of the apology alone (NO_LINES): offers have more.
        offers = [o for o in options if any(ln.kind is not RemedyKind.APOLOGY for ln in o.lines)]
        minor = facts.severity is Severity.MINOR
        offer, manual = None, False
        if state is State.CLOSED:
            if not minor and r.random() < APOLOGY_ONLY_SHARE:
                offer = self._apology_only(options)
            elif r.random() < (0.55 if minor else NO_PROPOSAL_SHARE) or not offers:
                manual = r.random() < 0.45  # worked on, then closed without a remedy
            else:
                offer = self._choose(offers, options)
        elif state is State.IN_RECOVERY:
            offer = self._choose(offers, options) if offers and r.random() < 0.7 else None
        elif state is State.AWAITING_APPROVAL:
            waiting = [o for o in offers if o.needs_approval]
            offer = self._choose(waiting, options) if waiting else None
            if offer is None or not offer.needs:  # within the proposer's limit: approved, not yet given
                state, offer = State.IN_RECOVERY, offer or (self._choose(offers, options) if offers else None)
        elif state is not State.OPEN:
            offer = self._choose(offers, options) if offers else None
            if offer is None:
                state = State.IN_RECOVERY
        if offer is not None:
            manual = r.random() < (0.5 if state is State.AWAITING_APPROVAL else 0.3)
        elif state not in (State.OPEN, State.CLOSED):
            manual = True  # moved on by hand, no remedy proposed yet
        return self._live(case_id, location_id, actor, created, state, offer, manual)

    def _apology_only(self, options: list[Option]) -> Offer:
        floor = min(o.compensation for o in options)
        reason = "The customer wanted nothing but an apology." if floor > 0 else ""
        return Offer("Our apology", None, [APOLOGY], reason, False, None, "")

    def _choose(self, pool: list[Option], options: list[Option]) -> Offer:
        """An option as proposal_create saves it: mostly the first, sometimes cut by staff."""
        r = self.random
        option = r.choices(pool, [60, 25, 15][: len(pool)])[0]
        edited = r.random() < 0.05
        factor = Decimal(r.choice(["0.5", "0.6", "0.75", "0.9"])) if edited else Decimal(1)
        lines = [APOLOGY]
        for ln in option.lines:
            if ln.kind is RemedyKind.APOLOGY:
                continue
            face = ln.face_value
            if ln.kind in MONEY_KINDS and ln.kind not in OWED:
                face = max((face * factor).quantize(CENT), CENT)
            entry = self.in_force.catalogue.get(ln.kind)
            ratio = entry.cost_ratio if entry else Decimal(1)
            lines.append(Line(ln.kind, face, (face * ratio).quantize(CENT), ln.reason))
        compensation = sum((ln.face_value for ln in lines if ln.counts_as_compensation), Decimal(0))
        floor = min(o.compensation for o in options)
        below = "The customer asked for less than we offered." if compensation < floor else ""
        if edited:
            needs, approver, why = approval_needed(
                lines, self.asker, self.in_force.policy, self.in_force.catalogue, None, format_money
            )
        else:  # the same amounts as the option: the same approval (and no second costly reckoning)
            needs, approver, why = option.needs_approval, option.approver, option.approval_reason
        return Offer(option.title, None if edited else option.rank, lines, below, needs, approver, why)

    def _live(self, case_id, location_id, actor, created, state, offer, manual) -> Life:
        r = self.random
        verdict = "approved"
        if offer is not None and offer.needs:
            if state is State.AWAITING_APPROVAL:
                verdict = "pending"
            elif r.random() < REJECTED_SHARE.get(state.value, 0):
                verdict = "rejected"
        lines = offer.lines if offer is not None else []
        delivering = bool(lines) and verdict == "approved" and state is not State.AWAITING_APPROVAL
        delivered = (r.randrange(len(lines)) if state is State.IN_RECOVERY else len(lines)) if delivering else 0
        follow = state is State.FOLLOWING_UP or (state is State.CLOSED and delivered and r.random() < 0.4)

        # Hours between the steps, drawn first so that they can be squeezed before now.
        first = min(r.expovariate(1 / 8), 96) + 0.02
        gaps = {"manual": first if manual else 0.0}
        gaps["proposed"] = (r.uniform(0.2, 24) if manual else first) if offer else 0.0
        decider = None
        if offer is not None and offer.needs and verdict != "pending":
            decider = self.owner_id if offer.approver is Role.OWNER else self.managers[location_id]
            gaps["decided"] = r.uniform(4, 72) if offer.approver is Role.OWNER else r.uniform(1, 30)
        delivery_gaps = [self._delivery_gap(ln.kind) for ln in lines[:delivered]]
        gaps["followed"] = r.uniform(2, 72) if follow else 0.0
        gaps["closed"] = (r.uniform(1, 168) if manual or offer else first) if state is State.CLOSED else 0.0
        span = sum(gaps.values()) + max(delivery_gaps, default=0.0)
        age = (self.now - created).total_seconds() / 3600
        scale = 1.0 if span < age else age * r.uniform(0.3, 0.95) / span

        def hours(value: float) -> timedelta:
            return timedelta(hours=value * scale)

        life = Life(state=state)
        at, current = created, State.OPEN

        def entry(kind: str, when: datetime, who: int, payload: events.Payload, note: str = "") -> None:
            life.events.append(Entry(case_id, location_id, kind, who, when, payload, note))

        def move(to_state: State, when: datetime, who: int) -> None:
            # case_transition: every move the services make now is note-less but the closing
            # one, whose outcome Aftercare writes once it is known.
            nonlocal current
            payload = events.StateChanged(before=current.value, after=to_state.value)
            life.events.append(
                Entry(
                    case_id, location_id, Kind.CASE_STATE_CHANGED, who, when, payload, "", current.value, to_state.value
                )
            )
            current = to_state

        if manual:
            at += hours(gaps["manual"])
            move(State.IN_RECOVERY, at, actor)
        if offer is not None:
            proposal_id, self.proposal_id = self.proposal_id, self.proposal_id + 1
            at += hours(gaps["proposed"])
            proposed_at, summary = at, offer.summary
            # proposal_create: the proposal on the timeline, then the move it makes, if any.
            made = events.ProposalMade(
                proposal_id=proposal_id, total=offer.compensation, needs=offer.approver.value if offer.needs else ""
            )
            if offer.needs:
                needs = f"Needs {A_ROLE[offer.approver]}: {offer.why}."
                entry(Kind.PROPOSAL_MADE, at, actor, made, f"Proposed {summary}. {needs}")
                move(State.AWAITING_APPROVAL, at, actor)
            else:
                entry(Kind.PROPOSAL_MADE, at, actor, made, f"Approved on the spot: {summary}.")
                if current is State.OPEN:
                    move(State.IN_RECOVERY, at, actor)
            reason = ""
            if decider is not None:
                at += hours(gaps["decided"])
                reason = r.choice(REJECTIONS) if verdict == "rejected" else ""
                verb = "Rejected" if reason else "Approved"
                # proposal_decide: the decision, then the move. A rejection puts the case back where it was.
                decided = events.ProposalDecided(
                    proposal_id=proposal_id,
                    decision=verdict,
                    proposed_by_id=actor,
                    reason=reason,
                )
                entry(
                    Kind.PROPOSAL_DECIDED, at, decider, decided, f"{verb} {summary}." + (f" {reason}" if reason else "")
                )
                back = State.OPEN if reason and not manual else State.IN_RECOVERY
                move(back, at, decider)
                if back is State.OPEN and state is State.IN_RECOVERY:
                    move(State.IN_RECOVERY, at, actor)
            decided_at = at if verdict != "pending" else None
            life.approved_at = at if verdict == "approved" else None
            if life.approved_at is not None:  # proposal_create or proposal_decide work it out
                life.deliver_by = delivery_due(at, self.delivery_within, self.calendars.get(location_id))
            times = [at + hours(gap) for gap in delivery_gaps]
            final = self._proposal(
                life,
                proposal_id,
                case_id,
                location_id,
                actor,
                offer,
                verdict,
                proposed_at,
                decided_at,
                decider,
                reason,
                times,
            )
            if final is not None:
                life.delivered_at, by = final
                move(State.REMEDY_DELIVERED, life.delivered_at, by)
            at = max([at, *times])
        if follow:
            at += hours(gaps["followed"])
            move(State.FOLLOWING_UP, at, actor)
        if state is State.CLOSED:
            at += hours(gaps["closed"])
            move(State.CLOSED, at, actor)
            life.closing, life.closed_at = life.events[-1], at
        return life

    def _delivery_gap(self, kind: RemedyKind) -> float:
        """The apology comes with the offer; calls within the policy's day; the rest mostly
        within a day and a half, a fifth after the delivery reminder has gone out."""
        r = self.random
        if kind is RemedyKind.APOLOGY:
            return r.uniform(0, 0.1)
        if kind in CALLS:
            return r.uniform(2, 24)
        return r.uniform(0.5, 36) if r.random() < 0.8 else r.uniform(48, 120)

    def _deliverer(self, kind: RemedyKind, location_id: int, actor: int) -> int:
        if kind is RemedyKind.OWNER_CALL:
            return self.owner_id
        return self.managers[location_id] if kind is RemedyKind.MANAGER_CALL else actor

    def _reference(self, kind: RemedyKind) -> str:
        prefix = DELIVERY_REFERENCES.get(kind.value)
        if prefix is None or self.random.random() < 0.3:
            return ""
        return f"{prefix} {self.random.randrange(100_000, 1_000_000)}"

    def _proposal(
        self,
        life,
        proposal_id,
        case_id,
        location_id,
        actor,
        offer,
        verdict,
        proposed_at,
        decided_at,
        decider,
        reason,
        times,
    ):
        """The proposal, its lines and the ledger (proposal_create, proposal_decide, remedy_deliver),
        and on the timeline each remedy delivered. Returns the last delivery, (when, by whom),
        once every remedy has reached the customer (its entry is followed by the move)."""
        every = len(times) == len(offer.lines)
        last = max(range(len(times)), key=times.__getitem__) if every else None
        life.proposal = {
            "id": proposal_id,
            "case_id": case_id,
            "policy_id": self.in_force.row.pk,
            "title": offer.title,
            "suggested_rank": offer.rank,
            "below_floor_reason": offer.below_floor_reason,
            "state": Proposal.State.DELIVERED.value if every else verdict,
            "compensation": offer.compensation,
            "face_value": sum((ln.face_value for ln in offer.lines), Decimal(0)),
            "cost": sum((ln.cost for ln in offer.lines), Decimal(0)),
            "approver_role": offer.approver.value if offer.needs else "",
            "approval_reason": offer.why,
            "proposed_by_id": actor,
            "proposed_at": proposed_at,
            "decided_by_id": decider,
            "decided_at": decided_at,
            "deliver_by": life.deliver_by,
            "decision_reason": reason,
            "decision_policy_id": self.in_force.row.pk if decided_at else None,
            # Deciding and the last delivery each bump it (the decision page refuses stale copies).
            "revision": 1 + (decider is not None) + every,
            "submission_token": uuid.UUID(int=self.random.getrandbits(128), version=4),
        }
        final = None
        for position, ln in enumerate(offer.lines):
            line_id, self.line_id = self.line_id, self.line_id + 1
            at = times[position] if position < len(times) else None
            by = self._deliverer(ln.kind, location_id, actor) if at else None
            reference = self._reference(ln.kind) if at else ""
            life.lines.append(
                {
                    "id": line_id,
                    "proposal_id": proposal_id,
                    "kind": ln.kind.value,
                    "face_value": ln.face_value,
                    "cost": ln.cost,
                    "reason": ln.reason,
                    "percent": None,
                    "position": position,
                    "delivered_at": at,
                    "delivered_by_id": by,
                    "delivery_reference": reference,
                }
            )
            if ln.face_value > 0 and decided_at and verdict == "approved":
                amounts = [ln.kind.value, ln.face_value, ln.cost, ln.kind is not RemedyKind.CORRECTION]
                life.ledger.append([line_id, location_id, LedgerEntry.Entry.APPROVED.value, *amounts, decided_at])
                if at:
                    life.ledger.append([line_id, location_id, LedgerEntry.Entry.DELIVERED.value, *amounts, at])
            if not at:
                continue
            if position == last:
                final = at, by
                note = f"Delivered {offer.summary}."
            else:
                note = f"Delivered: {ln.kind.label}" + (f" ({reference})" if reference else ".")
            delivered = events.RemedyDelivered(
                proposal_id=proposal_id,
                line_id=line_id,
                remedy=ln.kind.value,
                reference=reference,
                all_delivered=position == last,
            )
            life.events.append(Entry(case_id, location_id, Kind.REMEDY_DELIVERED, by, at, delivered, note))
        return final
