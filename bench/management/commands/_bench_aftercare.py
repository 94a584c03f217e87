"""seed_bench's follow-ups, satisfaction answers and corrective actions, as the services write them.

For each case, `Aftercare.case` adds what its life called for (followups/plans.py, applied
as followups/services/scheduling.py applies them): the escalation of a first contact not
made in time, the reminder and escalation of a promised callback, the reminder to deliver
an approved remedy, the message telling the customer what was done, and the satisfaction
check some days after closing; then, once the first contact is known, what became of the
customer of a closed case and their answer to about a third of the checks (both made up by
_outcome_model.py, from what was given and how fast),
and the case's link to a corrective action of its location (with the message telling the
customer what changed, once the action is done).

Every follow-up has been settled by `now`: sent (by the dispatcher, seconds after it was
due), done, failed or cancelled. One that would still be scheduled is left out, so that
neither a worker nor the dispatch benchmark ever picks up bench rows.
"""

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from django.utils import timezone

from cases import events, sla
from cases.events import Kind
from cases.states import Outcome
from corrective.models import CorrectiveAction
from corrective.selectors import NOT_TOLD_NO_ADDRESS, NOT_TOLD_NO_CONSENT
from corrective.states import ActionState
from followups.models import FollowUp
from followups.plans import Purpose, Timings
from followups.services.scheduling import NO_CHANNEL, NO_CONSENT, remedy_details
from followups.states import FollowUpState
from portal.models import RATING_CHOICES, UNHAPPY_AT_MOST, SatisfactionResponse
from recovery.policy import RemedyKind

from ._bench_recovery import Entry, Life
from ._bench_vocabulary import CATEGORY_WEIGHTS, CORRECTIVE, SATISFACTION_COMMENTS, SEND_ERRORS
from ._outcome_model import Handling, Verdict, judge

DAYS = 730  # as seed_bench: cases spread over two years
ANSWERED_SHARE = 0.35  # of the satisfaction checks sent
FAILED_SHARE = 0.025  # of the messages to customers
KEPT_SHARE = 0.85  # of the callbacks promised
# Corrective actions: how many at each bench location, how many cases each is about,
# and how far back before it was recorded a case can be that it fixes the cause of.
ACTIONS_PER_LOCATION = 36
LINKS_PER_ACTION = 20
LOOKBACK = timedelta(days=45)
HOUR = timedelta(hours=1)
LINKED = "The customer hears what changed when it is done."
SCHEDULED, SENT, DONE, FAILED, CANCELLED = (state.value for state in FollowUpState)
STAFF_KINDS = {
    Purpose.FIRST_CONTACT_ESCALATION: "escalation",
    Purpose.CALLBACK_REMINDER: "staff_reminder",
    Purpose.CALLBACK_ESCALATION: "escalation",
    Purpose.DELIVERY_REMINDER: "staff_reminder",
}


@dataclass(frozen=True, slots=True)  # a third of a million of them at a million cases
class BenchCustomer:
    id: int
    location_id: int
    first_name: str
    yearly_value: object
    consent: bool
    channel: str | None  # how a written message reaches them (followups' customer_channel)


class Delivered(NamedTuple):
    """A delivered line as `remedy_details` reads it (a model instance each costs ten times more)."""

    kind: str
    face_value: object
    percent: None = None

    def get_kind_display(self) -> str:
        return RemedyKind(self.kind).label


@dataclass
class Aftermath:
    """One case's rows beyond its life: follow-ups (dicts by column), timeline entries, an answer, a link."""

    followups: list[dict] = field(default_factory=list)
    events: list[Entry] = field(default_factory=list)
    response: dict | None = None
    link: dict | None = None


@dataclass(frozen=True)
class Action:
    """A corrective action as the linking needs it; `ends_at` is when it was done or cancelled."""

    id: int
    location_id: int | None
    category: str
    title: str
    kind: str
    due_date: date
    created_at: datetime
    ends_at: datetime | None
    state: str
    owner_id: int
    message: str
    chance: float  # of linking a case of its location and category in its window


class Aftercare:
    def __init__(self, *, rng, now, timings: Timings, managers, actions: list[Action], followup_id, response_id):
        self.random, self.now, self.timings = rng, now, timings
        self.managers = managers
        # Ids are given here: the timeline's payloads name the follow-up and the answer.
        self.followup_id, self.response_id = followup_id, response_id
        self.actions: dict[tuple[int | None, str], list[Action]] = {}
        for action in actions:
            self.actions.setdefault((action.location_id, action.category), []).append(action)

    def case(self, row: dict, life: Life, customer: BenchCustomer) -> Aftermath:
        """The follow-ups, answer and link of one case. A callback made clears the case's
        promise and may be its first contact: `row` is updated as case_callback_made does."""
        out = Aftermath()
        created, closed = row["created_at"], row["closed_at"]
        if row["promised_callback_at"] is not None:
            self._callback(row, out)
        verdict = self._outcome(row, life) if life.closing is not None else None
        if not sla.contacted_on_logging(row["channel"]):
            self._staff(out, row, Purpose.FIRST_CONTACT_ESCALATION, created, row["sla_due_at"], row["first_contact_at"])
        if life.approved_at is not None and life.deliver_by is not None:
            # Due at the proposal's own deadline, as followups_plan_delivery_reminder plans it.
            self._staff(out, row, Purpose.DELIVERY_REMINDER, life.approved_at, life.deliver_by, life.delivered_at)
        if life.delivered_at is not None:
            lines = [Delivered(ln["kind"], ln["face_value"]) for ln in life.lines]
            self._tell(out, row, customer, Purpose.REMEDY_MESSAGE, life.delivered_at, body=remedy_details(lines))
        if closed is not None:
            due = closed + self.timings.satisfaction_check_after
            check = self._tell(out, row, customer, Purpose.SATISFACTION_CHECK, closed, due=due)
            if (
                check is not None
                and verdict is not None
                and check["state"] == SENT
                and self.random.random() < ANSWERED_SHARE
            ):
                self._answer(out, row, verdict, check["sent_at"])
        self._link(out, row, customer)
        return out

    def _id(self) -> int:
        self.followup_id += 1
        return self.followup_id - 1

    @staticmethod
    def _entry(out, row, kind: str, actor, at: datetime, payload: events.Payload, note: str) -> None:
        out.events.append(Entry(row["id"], row["location_id"], kind, actor, at, payload, note))

    def _followup(self, row, purpose: Purpose, kind, channel, recipient, created, due, **fields) -> dict:
        return {
            "id": self._id(),
            "case_id": row["id"],
            "kind": kind,
            "purpose": purpose.value,
            "channel": channel,
            "recipient_id": recipient,
            "subject": purpose.label,
            "body": fields.get("body", ""),
            "due_at": due,
            "state": fields["state"],
            "attempts": fields.get("attempts", 1 if fields.get("sent_at") else 0),
            "claimed_until": None,
            "sent_at": fields.get("sent_at"),
            "last_error": fields.get("last_error", ""),
            "done_at": fields.get("done_at"),
            "done_by_id": fields.get("done_by"),
            "created_at": created,
            "created_by_id": fields.get("created_by"),
            # Only a form's follow-up carries a one-time token; the plans' have none.
            "submission_token": None,
        }

    def _sent_at(self, due: datetime) -> datetime:
        """The dispatcher sweeps every minute; the send itself takes a moment."""
        return due + timedelta(seconds=self.random.uniform(3, 120))

    def _staff(self, out, row, purpose: Purpose, created, due, settled, *, done=False, done_by=None):
        """A reminder to the assignee or an escalation to the managers. `settled` is when what
        it is about happened (the customer contacted, the remedy delivered, the call made):
        before it went out, that cancels it (or, with `done`, marks it done); closing the case
        cancels it too. Left out while it would still be scheduled."""
        r, closed = self.random, row["closed_at"]
        kind = STAFF_KINDS[purpose]
        recipient = row["assignee_id"] if kind == "staff_reminder" else None
        sent = self._sent_at(due)
        if settled is not None and settled < sent and (closed is None or settled <= closed):
            fields = {"state": DONE, "done_at": settled, "done_by": done_by} if done else {"state": CANCELLED}
        elif closed is not None and closed < sent:
            fields = {"state": CANCELLED}
        elif sent > self.now:
            return None
        elif done and settled is not None:
            fields = {"state": DONE, "sent_at": sent, "done_at": settled, "done_by": done_by}
        else:
            fields = {"state": SENT, "sent_at": sent}
            settles = sent + timedelta(hours=r.uniform(0.5, 48))
            if kind == "escalation" and settles <= self.now and r.random() < 0.7:  # a manager deals with it
                fields.update(state=DONE, done_at=settles, done_by=self.managers[row["location_id"]])
        followup = self._followup(row, purpose, kind, FollowUp.Channel.IN_APP.value, recipient, created, due, **fields)
        out.followups.append(followup)
        return followup

    def _callback(self, row, out) -> None:
        """Most promised callbacks are made within minutes of the time; some are missed,
        and made hours later (the escalation has gone out) or not at all."""
        r, promised, closed = self.random, row["promised_callback_at"], row["closed_at"]
        caller = row["assignee_id"] or row["created_by_id"]
        if r.random() < KEPT_SHARE:
            made = promised + timedelta(minutes=r.uniform(-14, 25))
        else:
            made = promised + timedelta(hours=r.uniform(1, 30)) if r.random() < 0.6 else None
        if made is not None and (made > self.now or (closed is not None and made > closed)):
            made = None
        created, reminder = row["created_at"], promised - self.timings.callback_reminder_before
        self._staff(out, row, Purpose.CALLBACK_REMINDER, created, reminder, made, done=True, done_by=caller)
        escalation = promised + self.timings.callback_escalation_after
        self._staff(out, row, Purpose.CALLBACK_ESCALATION, created, escalation, made)
        if made is not None:
            row["promised_callback_at"] = None
            if row["first_contact_at"] is None or made < row["first_contact_at"]:
                row["first_contact_at"] = made
            # case_callback_made; whether it was the first contact is settled with the whole timeline.
            payload = events.CallbackMade(promised_at=promised, first_contact=False)
            self._entry(
                out, row, Kind.CASE_CALLBACK_MADE, caller, made, payload, "Called the customer back as promised."
            )

    def _tell(self, out, row, customer, purpose, at, *, due=None, body="", created_by=None) -> dict | None:
        """A message to the customer planned at `at` (due then, or at `due`): not scheduled,
        and the timeline says why, without consent or an address; else sent, or now and
        then failed. Left out while it would still be scheduled."""
        r = self.random
        if not customer.consent or customer.channel is None:
            reason = NO_CONSENT if not customer.consent else NO_CHANNEL
            payload = events.FollowupSkipped(purpose=purpose.value, reason=reason)
            self._entry(out, row, Kind.FOLLOWUP_SKIPPED, None, at, payload, f"{purpose.label}: not scheduled. {reason}")
            return None
        due = due or at
        sent = self._sent_at(due)
        if sent > self.now:
            return None
        kind = "satisfaction_check" if purpose is Purpose.SATISFACTION_CHECK else "customer_message"
        if r.random() < FAILED_SHARE:
            permanent = r.random() < 0.5  # a bounce fails at once; a lost message after every attempt
            fields = {
                "state": FAILED,
                "attempts": 1 if permanent else 5,
                "last_error": r.choice(SEND_ERRORS[customer.channel]),
            }
        else:
            fields = {"state": SENT, "sent_at": sent}
        followup = self._followup(
            row, purpose, kind, customer.channel, None, at, due, body=body, created_by=created_by, **fields
        )
        out.followups.append(followup)
        if followup["state"] == SENT:  # followup_send's line (events.record_fast)
            how = FollowUp.Channel(customer.channel).label.lower()
            sent_payload = events.FollowupSent(
                followup_id=followup["id"], purpose=purpose.value, channel=customer.channel
            )
            self._entry(out, row, Kind.FOLLOWUP_SENT, None, sent, sent_payload, f"{purpose.label}: sent by {how}.")
        return followup

    def _outcome(self, row, life: Life) -> Verdict:
        """What became of the customer of a closed case (synthetic: _outcome_model.py), now
        that the first contact is known: on the case and in its closing entry."""
        contacted = row["first_contact_at"]
        handling = Handling.of(
            severity=row["severity"],
            loss=row["order_value"] + row["hidden_costs"],
            delivered=[(ln["kind"], ln["face_value"]) for ln in life.lines if ln["delivered_at"] is not None],
            contact_hours=None if contacted is None else (contacted - row["created_at"]).total_seconds() / 3600,
            repeat=row["repeat_incident"],
            treated_poorly=row["treated_poorly"],
        )
        verdict = judge(handling, self.random)
        row["outcome"] = life.outcome = verdict.outcome
        assert life.closing is not None  # called for a closed case only
        life.closing.note = f"Outcome: {Outcome(verdict.outcome).label}."
        life.closing.payload = replace(life.closing.payload, outcome=verdict.outcome)  # type: ignore[call-arg]  # the closing StateChanged
        return verdict

    def _answer(self, out, row, verdict: Verdict, asked: datetime) -> None:
        r = self.random
        rating, will_return = verdict.rating, verdict.will_return
        comment = r.choice(SATISFACTION_COMMENTS[rating]) if r.random() < 0.2 else ""
        answered = min(asked + timedelta(hours=r.expovariate(1 / 20)), self.now)
        response_id, self.response_id = self.response_id, self.response_id + 1
        out.response = {
            "id": response_id,
            "case_id": row["id"],
            "rating": rating,
            "will_return": will_return,
            "comment": comment,
            "created_at": answered,
        }
        words = dict(RATING_CHOICES)[rating]
        returns = SatisfactionResponse.WillReturn(will_return).label.lower()
        said = f"The customer answered the satisfaction check: {rating} of 5 (“{words}”); will come back: {returns}."
        payload = events.CustomerAnswered(
            response_id=response_id, rating=rating, will_return=will_return, unhappy=rating <= UNHAPPY_AT_MOST
        )
        note = said + (f" They wrote: “{comment}”" if comment else "")
        self._entry(out, row, Kind.CUSTOMER_ANSWERED, None, answered, payload, note)

    def _link(self, out, row, customer) -> None:
        """Linked to the first action of its location and category whose window holds the case
        (corrective_action_link_case), and told what changed when it is done (corrective_action_complete)."""
        r, created = self.random, row["created_at"]
        for action in self.actions.get((row["location_id"], row["category"]), ()):
            end = action.ends_at or self.now
            if not (action.created_at - LOOKBACK <= created < end) or r.random() >= action.chance:
                continue
            start = max(created, action.created_at)
            linked = min(start + timedelta(hours=r.uniform(0.1, 48)), start + (end - start) * r.random())
            case_id, by = row["id"], action.owner_id
            kind = CorrectiveAction.Kind(action.kind).label.lower()
            due = action.due_date.strftime("%-d %b %Y")
            note = f"Linked to corrective action “{action.title}” ({kind}), due {due}. "
            payload = events.CorrectiveActionChanged(action_id=action.id, title=action.title)
            self._entry(out, row, Kind.CORRECTIVE_ACTION_LINKED, by, linked, payload, note + LINKED)
            out.link = {
                "action_id": action.id,
                "case_id": case_id,
                "linked_by_id": by,
                "linked_at": linked,
                "followup_id": None,
                "not_told_reason": "",
            }
            if action.state == ActionState.CANCELLED.value:
                note = f"Corrective action “{action.title}” was cancelled."
                self._entry(out, row, Kind.CORRECTIVE_ACTION_CANCELLED, by, end, payload, note)
            elif action.state == ActionState.DONE.value:
                self._told(out, row, customer, action)
            return

    def _told(self, out, row, customer, action: Action) -> None:
        """corrective_action_complete: the message to the customer scheduled (followup_schedule's
        "Planned" entry) and the action done, on the case's timeline at once; the dispatcher
        sends the message moments later."""
        done = action.ends_at
        assert done is not None  # only a done action tells its customers
        reason = NOT_TOLD_NO_CONSENT if not customer.consent else (NOT_TOLD_NO_ADDRESS if not customer.channel else "")
        later: list[Entry] = []
        if reason:
            out.link["not_told_reason"] = reason
            told = f"The customer was not told: {reason}."
        else:
            mark = len(out.events)
            followup = self._tell(
                out, row, customer, Purpose.CORRECTIVE_MESSAGE, done, body=action.message, created_by=action.owner_id
            )
            later, out.events[mark:] = out.events[mark:], []  # its sending comes after the entries below
            if followup is not None:
                when = timezone.localtime(done).strftime("%a %-d %b, %H:%M")
                planned = events.FollowupChanged(
                    followup_id=followup["id"], purpose=Purpose.CORRECTIVE_MESSAGE.value, due_at=followup["due_at"]
                )
                note = f"Planned: {Purpose.CORRECTIVE_MESSAGE.label}, {when}."
                self._entry(out, row, Kind.FOLLOWUP_PLANNED, action.owner_id, done, planned, note)
            out.link["followup_id"] = followup["id"] if followup else None
            told = f"The customer will be told by {FollowUp.Channel(customer.channel).label.lower()}."
        payload = events.CorrectiveActionChanged(action_id=action.id, title=action.title, customer_told=not reason)
        note = f"Corrective action “{action.title}” is done. {told}"
        self._entry(out, row, Kind.CORRECTIVE_ACTION_COMPLETED, action.owner_id, done, payload, note)
        out.events.extend(later)


def corrective_actions(*, rng, now, location_ids, managers, cases_wanted) -> list[Action]:
    """Tops each bench location up to ACTIONS_PER_LOCATION corrective actions, recorded over the
    two years by its manager: old ones mostly done (a few cancelled, a few overdue), recent
    ones open, in progress or done. Returns every bench action, with its chance of linking a
    case chosen so that each is about LINKS_PER_ACTION cases, whatever the number of cases."""
    titles = {entry[1]: (category, entry) for category, entries in CORRECTIVE.items() for entry in entries}
    existing = CorrectiveAction.objects.filter(location_id__in=location_ids).order_by("pk")
    have = dict.fromkeys(location_ids, 0)
    for location_id in existing.values_list("location_id", flat=True):
        have[location_id] += 1
    new = []
    for location_id in location_ids:
        for _ in range(ACTIONS_PER_LOCATION - have[location_id]):
            category = rng.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
            kind, title, description, message = rng.choice(CORRECTIVE[category])
            created = now - timedelta(days=rng.uniform(2, DAYS))
            old = now - created > timedelta(days=120)
            state = rng.choices(list(ActionState), [5, 5, 80, 10] if old else [30, 35, 30, 5])[0]
            due = created + timedelta(days=rng.randrange(14, 61))
            done_at = None
            if state is ActionState.DONE:
                # Done by an hour ago at the latest, so that its messages have gone out.
                done_at = min(created + (due + timedelta(days=20) - created) * rng.uniform(0.1, 1), now - HOUR)
            manager = managers[location_id]
            new.append(
                CorrectiveAction(
                    title=title,
                    description=description,
                    kind=kind,
                    owner_id=manager,
                    location_id=location_id,
                    due_date=timezone.localdate(due),
                    state=state.value,
                    customer_message=message if state is ActionState.DONE or rng.random() < 0.5 else "",
                    created_at=created,
                    created_by_id=manager,
                    done_at=done_at,
                    done_by_id=manager if done_at else None,
                )
            )
    CorrectiveAction.objects.bulk_create(new)
    actions = []
    weights = sum(CATEGORY_WEIGHTS.values())
    for action in existing.all():
        category = titles[action.title][0]
        ends_at = action.done_at
        if action.state == ActionState.CANCELLED.value:  # the model keeps no time: a week in, or half its age
            ends_at = min(action.created_at + timedelta(days=7), action.created_at + (now - action.created_at) / 2)
        start = max(action.created_at - LOOKBACK, now - timedelta(days=DAYS))
        window_days = max(((ends_at or now) - start).total_seconds() / 86400, 1)
        expected = cases_wanted / len(location_ids) * window_days / DAYS * CATEGORY_WEIGHTS[category] / weights
        actions.append(
            Action(
                id=action.pk,
                location_id=action.location_id,
                category=category,
                title=action.title,
                kind=action.kind,
                due_date=action.due_date,
                created_at=action.created_at,
                ends_at=ends_at,
                state=action.state,
                owner_id=action.owner_id,
                message=action.customer_message,
                chance=min(1.0, LINKS_PER_ACTION / max(expected, 1)),
            )
        )
    return actions
