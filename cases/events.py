"""The event log's one writer: `record(case=…, kind=…, actor=…, payload=…)`.

Every change to a case, and every change to who may do what (users, roles, locations,
limits, budgets, the policy, the message wording), is one row of `cases.Event`, written
here and nowhere else (tests/cases/test_event_log.py looks for any other insert). The row
is the case's timeline, the dashboards' signal that a case changed, the audit trail, and
what the API and webhooks will publish: so each kind has a name fit for a public API
(`proposal.decided`) and a typed payload that says what changed, before and after.

Apps higher in the stack react to a kind here rather than being called from below: a case
logged plans its follow-ups because followups/reactions.py subscribes to `case.logged`,
so cases never imports followups. Reactions run in the writer's transaction, in the order
they were registered; what they write commits or rolls back with the change itself.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Field
from django.utils import timezone

from core.request_context import current_ip

from .models import Case, Event
from .severity import Severity

Kind = Event.Kind


@dataclass(frozen=True)
class Payload:
    """What changed, as plain values. Money and times are kept as strings (ISO 8601), as
    the API will show them."""

    def as_json(self) -> dict[str, Any]:
        # Field by field rather than dataclasses.asdict, which deep-copies: a third of the time,
        # and the follow-up sender writes one payload per message.
        return {item.name: _json(getattr(self, item.name)) for item in fields(self)}


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


@dataclass(frozen=True)
class Empty(Payload):
    """The note says it all (a note added)."""


@dataclass(frozen=True)
class CaseLogged(Payload):
    state: str
    severity: str
    suggested_severity: str
    channel: str
    category: str
    customer_id: int
    # The customer reported it themselves on the location's page: no one of staff logged it.
    reported_by_customer: bool = False


@dataclass(frozen=True)
class StateChanged(Payload):
    before: str
    after: str
    outcome: str = ""
    # The change was the first time anyone dealt with the customer (the first-contact clock stops).
    first_contact: bool = False


@dataclass(frozen=True)
class ContactMade(Payload):
    first_contact: bool


@dataclass(frozen=True)
class CallbackPromised(Payload):
    at: datetime
    before: datetime | None = None


@dataclass(frozen=True)
class CallbackMade(Payload):
    promised_at: datetime
    first_contact: bool


@dataclass(frozen=True)
class Assigned(Payload):
    before: int | None
    after: int | None


@dataclass(frozen=True)
class SeverityChanged(Payload):
    before: str
    after: str
    reason: str = ""


@dataclass(frozen=True)
class OverchargeRecorded(Payload):
    before: Decimal
    after: Decimal


@dataclass(frozen=True)
class ProposalMade(Payload):
    proposal_id: int
    total: Decimal
    # The role whose approval it needs; empty when within the proposer's own authority.
    needs: str = ""


@dataclass(frozen=True)
class ProposalPassedUp(Payload):
    proposal_id: int
    reason: str


@dataclass(frozen=True)
class ProposalDecided(Payload):
    proposal_id: int
    decision: str  # "approved" or "rejected"
    proposed_by_id: int
    reason: str = ""


@dataclass(frozen=True)
class ProposalAmended(Payload):
    proposal_id: int
    before: Decimal
    after: Decimal
    reason: str = ""


@dataclass(frozen=True)
class RemedyDelivered(Payload):
    proposal_id: int
    line_id: int
    remedy: str
    reference: str = ""
    # Every line of the proposal is now delivered.
    all_delivered: bool = False


@dataclass(frozen=True)
class FollowupChanged(Payload):
    followup_id: int
    purpose: str
    due_at: datetime | None = None
    before: datetime | None = None  # moved: when it was due


@dataclass(frozen=True)
class FollowupSkipped(Payload):
    """A planned message not scheduled: the customer cannot or did not agree to be written to."""

    purpose: str
    reason: str


@dataclass(frozen=True)
class FollowupSent(Payload):
    followup_id: int
    purpose: str
    channel: str


@dataclass(frozen=True)
class FollowupFailed(Payload):
    followup_id: int
    purpose: str
    error: str


@dataclass(frozen=True)
class MessageCreated(Payload):
    """Staff wrote to the customer; the follow-up `followup_id` carries it (its followup.sent
    or followup.failed says how it went)."""

    followup_id: int
    channel: str
    subject: str
    # The saved reply it started from, if any.
    saved_reply_id: int | None = None


@dataclass(frozen=True)
class CorrectiveActionChanged(Payload):
    action_id: int
    title: str
    customer_told: bool = False


@dataclass(frozen=True)
class CustomerAnswered(Payload):
    response_id: int
    rating: int  # 1 to 5
    will_return: str
    unhappy: bool


@dataclass(frozen=True)
class CustomerAnonymised(Payload):
    customer_id: int


@dataclass(frozen=True)
class CustomerExported(Payload):
    """Someone was handed everything Amends holds about a customer: who and when are the entry's,
    what was handed over is not recorded (the log must not become a copy of it)."""

    customer_id: int
    form: str  # "json" (the API) or "zip" (the page: the JSON with the files)
    cases: int


@dataclass(frozen=True)
class CustomerErased(Payload):
    """A customer's personal data was erased (privacy.services.customer_anonymise)."""

    customer_id: int
    trigger: str  # "request" (someone acted on the customer's request) or "retention" (no activity for long)
    cases: int


@dataclass(frozen=True)
class AttachmentAdded(Payload):
    """A photo or document attached to a case (attachments.services.attachment_add)."""

    attachment_id: int
    original_name: str  # as the uploader named it, cleaned: words someone typed (erasure blanks them)
    content_type: str
    size: int
    sha256: str
    source: str  # staff, customer (their own report) or email
    has_thumbnail: bool = False


@dataclass(frozen=True)
class CustomerReplied(Payload):
    """An email from the customer put on the case (inbox.services.inbound_mail_receive)."""

    inbound_id: int
    subject: str  # words the customer typed (erasure blanks them)
    text: str  # what is new in it, quoted history trimmed
    quoted: str = ""  # the quoted history and signature after it, a click away on the page
    from_address: str = ""
    # False: sent from an address that is not the customer's on file (shown as a flag).
    from_address_on_file: bool = True
    # What became of the case: attached, reopened, linked (a new case following a closed one), opened.
    how: str = "attached"
    attachment_ids: tuple[int, ...] = ()
    # Attachments that were not kept, each as "name: reason".
    refused: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApiTokenChanged(Payload):
    """An API token made or revoked (api.services): which, by its public prefix; never its secret."""

    token_id: int
    prefix: str
    kind: str  # personal or integration
    name: str
    user_id: int  # who it acts as: the member of staff, or the integration's own user
    role: str = ""  # an integration's
    location_id: int | None = None  # an integration's


@dataclass(frozen=True)
class Changed(Payload):
    """A change to a setting-like row (a user, a location, the policy, a message's wording):
    each changed field with its value before and after (None before a creation)."""

    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)


PAYLOADS: dict[str, type[Payload]] = {
    Kind.CASE_LOGGED: CaseLogged,
    Kind.CASE_STATE_CHANGED: StateChanged,
    Kind.CASE_NOTE_ADDED: Empty,
    Kind.CASE_CONTACT_MADE: ContactMade,
    Kind.CASE_CALLBACK_PROMISED: CallbackPromised,
    Kind.CASE_CALLBACK_MADE: CallbackMade,
    Kind.CASE_ASSIGNED: Assigned,
    Kind.CASE_SEVERITY_CHANGED: SeverityChanged,
    Kind.CASE_OVERCHARGE_RECORDED: OverchargeRecorded,
    Kind.PROPOSAL_MADE: ProposalMade,
    Kind.PROPOSAL_PASSED_UP: ProposalPassedUp,
    Kind.PROPOSAL_DECIDED: ProposalDecided,
    Kind.PROPOSAL_AMENDED: ProposalAmended,
    Kind.REMEDY_DELIVERED: RemedyDelivered,
    Kind.FOLLOWUP_PLANNED: FollowupChanged,
    Kind.FOLLOWUP_SKIPPED: FollowupSkipped,
    Kind.FOLLOWUP_MOVED: FollowupChanged,
    Kind.FOLLOWUP_CANCELLED: FollowupChanged,
    Kind.FOLLOWUP_DONE: FollowupChanged,
    Kind.FOLLOWUP_SENT: FollowupSent,
    Kind.FOLLOWUP_FAILED: FollowupFailed,
    Kind.CORRECTIVE_ACTION_LINKED: CorrectiveActionChanged,
    Kind.CORRECTIVE_ACTION_UNLINKED: CorrectiveActionChanged,
    Kind.CORRECTIVE_ACTION_CANCELLED: CorrectiveActionChanged,
    Kind.CORRECTIVE_ACTION_COMPLETED: CorrectiveActionChanged,
    Kind.MESSAGE_CREATED: MessageCreated,
    Kind.CUSTOMER_ANSWERED: CustomerAnswered,
    Kind.CUSTOMER_ANONYMISED: CustomerAnonymised,
    Kind.CUSTOMER_EXPORTED: CustomerExported,
    Kind.CUSTOMER_ERASED: CustomerErased,
    Kind.POLICY_PUBLISHED: Changed,
    Kind.MESSAGE_WORDING_CHANGED: Changed,
    Kind.SAVED_REPLY_CREATED: Changed,
    Kind.SAVED_REPLY_CHANGED: Changed,
    Kind.SAVED_REPLY_RETIRED: Changed,
    Kind.SAVED_REPLY_RESTORED: Changed,
    Kind.USER_CREATED: Changed,
    Kind.USER_CHANGED: Changed,
    Kind.USER_DELETED: Changed,
    Kind.LOCATION_CREATED: Changed,
    Kind.LOCATION_CHANGED: Changed,
    Kind.LOCATION_DELETED: Changed,
    Kind.LOCATION_REPORT_LINK_RENEWED: Changed,
    Kind.ATTACHMENT_ADDED: AttachmentAdded,
    Kind.CUSTOMER_REPLIED: CustomerReplied,
    Kind.API_TOKEN_CREATED: ApiTokenChanged,
    Kind.API_TOKEN_REVOKED: ApiTokenChanged,
    Kind.WEBHOOK_ENDPOINT_CREATED: Changed,
    Kind.WEBHOOK_ENDPOINT_CHANGED: Changed,
    Kind.WEBHOOK_ENDPOINT_DELETED: Changed,
}

# The kinds that are a case's life; the others are changes to who may do what.
NOT_CASE_TOPICS = (
    "policy.",
    "message_wording.",
    "saved_reply.",
    "user.",
    "location.",
    "api_token.",
    "webhook_endpoint.",
    # About a customer's data as a whole, not one case's life.
    Kind.CUSTOMER_EXPORTED.value,
    Kind.CUSTOMER_ERASED.value,
)
CASE_KINDS = frozenset(kind for kind in Kind if not kind.startswith(NOT_CASE_TOPICS))

Reaction = Callable[[Event, Any], None]
_reactions: dict[str, list[Reaction]] = defaultdict(list)


def react_to(*kinds: str) -> Callable[[Reaction], Reaction]:
    """Register `reaction(event, payload)` to run whenever one of `kinds` is recorded, in the
    recording transaction. For an app higher in the stack to follow a lower one's changes."""

    def register(reaction: Reaction) -> Reaction:
        for kind in kinds:
            if reaction not in _reactions[kind]:
                _reactions[kind].append(reaction)
        return reaction

    return register


Listener = Callable[[], None]
_committed: list[Listener] = []


def after_commit(listener: Listener) -> Listener:
    """Register `listener()` to run once after each transaction that wrote to the log commits
    (by `record`, `record_each` or `record_fast` alike, so unlike a reaction it cannot slow or
    forbid the fast paths). For an app higher in the stack that reads the log as an outbox
    (webhooks/ rings its dispatcher): it learns that something was written, never what."""
    if listener not in _committed:
        _committed.append(listener)
    return listener


def _written() -> None:
    """Something was written: ring the after-commit listeners once for this transaction."""
    if not _committed:
        return
    connection_ = transaction.get_connection()
    if connection_.in_atomic_block and any(entry[1] is _ring for entry in connection_.run_on_commit):
        return
    transaction.on_commit(_ring)


def _ring() -> None:
    for listener in _committed:
        listener()


def _check(kind: str, payload: Payload) -> None:
    expected = PAYLOADS[kind]
    if type(payload) is not expected:
        raise TypeError(f"{kind} carries a {expected.__name__}, not a {type(payload).__name__}")


def record(
    *,
    kind: str,
    payload: Payload,
    case: Case | None = None,
    actor: Any = None,
    note: str = "",
    now: datetime | None = None,
    location_id: int | None = None,
    subject: str = "",
    from_state: str = "",
    to_state: str = "",
) -> Event:
    """Write one entry of the event log and run the reactions to its kind.

    `actor` is who did it (None: the system, or the customer); `note` the line a person
    reads; `location_id` defaults to the case's. The address comes from the request being
    served, if any.
    """
    _check(kind, payload)
    event = Event(
        case=case,
        location_id=location_id if location_id is not None else (case.location_id if case else None),
        kind=kind,
        actor=actor,
        created_at=now or timezone.now(),
        ip=current_ip(),
        subject=subject,
        from_state=from_state,
        to_state=to_state,
        note=note[:4000],
        payload=payload.as_json(),
    )
    event.save(force_insert=True)
    _written()
    for reaction in _reactions.get(kind, ()):
        reaction(event, payload)
    return event


def record_each(
    *, kind: str, payload: Payload, case_ids: Iterable[int], actor: Any = None, note: str, now: datetime
) -> None:
    """The same entry on several cases' timelines at once (a change that touches them all).
    For kinds nobody reacts to: reactions run per event, through `record`."""
    _check(kind, payload)
    if _reactions.get(kind):
        raise ValueError(f"{kind} has reactions: record each case's event with record()")
    locations = dict(Case.objects.filter(pk__in=list(case_ids)).values_list("pk", "location_id"))
    ip = current_ip()
    Event.objects.bulk_create(
        Event(
            case_id=case_id,
            location_id=location_id,
            kind=kind,
            actor=actor,
            created_at=now,
            ip=ip,
            note=note[:4000],
            payload=payload.as_json(),
        )
        for case_id, location_id in locations.items()
    )
    _written()


def record_fast(*, kind: str, payload: Payload, case_id: int, location_id: int, note: str, now: datetime) -> None:
    """`record` for a path where every microsecond counts (the follow-up sender writes one
    line per message sent): one prepared INSERT, no model instance, no reactions, no actor.
    Building the ORM's query was a fifth of the time of a send."""
    _check(kind, payload)
    if _reactions.get(kind):
        raise ValueError(f"{kind} has reactions: record it with record()")
    with connection.cursor() as cursor:
        cursor.execute(
            _insert_sql(),
            [
                case_id,
                location_id,
                kind,
                connection.ops.adapt_datetimefield_value(now),
                current_ip(),
                "",
                "",
                "",
                note[:4000],
                _PAYLOAD_FIELD.get_db_prep_save(payload.as_json(), connection),
            ],
        )
    _written()


_PAYLOAD_FIELD = Event._meta.get_field("payload")
_FAST_COLUMNS = ("case", "location", "kind", "created_at", "ip", "subject", "from_state", "to_state", "note", "payload")
_insert: dict[str, str] = {}


def _column(name: str) -> str:
    field = Event._meta.get_field(name)
    assert isinstance(field, Field) and field.column  # concrete columns, by construction of _FAST_COLUMNS
    return field.column


def _insert_sql() -> str:
    # Per database vendor: the tests switch between SQLite and PostgreSQL in one process.
    sql = _insert.get(connection.vendor)
    if sql is None:
        quote = connection.ops.quote_name
        columns = ", ".join(quote(_column(name)) for name in _FAST_COLUMNS)
        placeholders = ", ".join(["%s"] * len(_FAST_COLUMNS))
        sql = _insert[connection.vendor] = (
            f"INSERT INTO {quote(Event._meta.db_table)} ({columns}) VALUES ({placeholders})"
        )
    return sql


# Kinds whose note may hold a person's words about the customer; erasure blanks them.
# The system's own lines (logged, assigned, a change of severity) say nothing about them.
ERASABLE = frozenset(CASE_KINDS - {Kind.CASE_LOGGED, Kind.CASE_SEVERITY_CHANGED, Kind.CASE_ASSIGNED})


def erase_words(*, customer_id: int, replacement: str) -> int:
    """A customer's right to be forgotten reaches the log: the notes on their cases that may
    quote or describe them, and the words people typed into payloads (reasons, a mail
    server's error naming their address), are replaced. Who did what, and when, stays.
    Call it before the cases' own texts are erased (it reads their severity override reasons)."""
    entries = Event.objects.filter(case__customer_id=customer_id)
    erased = entries.filter(kind__in=ERASABLE).exclude(note="").update(note=replacement)
    # A case logged at another severity than suggested says why in its opening line: that reason
    # (the case's, read before the case's own texts are erased) goes, the assessment stays.
    logged = entries.filter(kind=Kind.CASE_LOGGED).exclude(case__severity_override_reason="")
    reasons = list(logged.values_list("pk", "note", "case__severity_override_reason"))
    Event.objects.bulk_update(
        [Event(pk=pk, note=note.replace(reason, replacement)) for pk, note, reason in reasons if reason in note],
        ["note"],
    )
    # An entry with no actor was the customer's own doing (an answer, their own report, from their
    # address) or the system's: its address is theirs, not a member of staff's.
    entries.filter(actor__isnull=True, ip__isnull=False).update(ip=None)
    typed = [event for event in entries.only("pk", "kind", "payload", "note") if _erase_typed(event, replacement)]
    Event.objects.bulk_update(typed, ["payload", "note"])
    return erased


# Payload fields that hold words someone typed, rather than facts Amends recorded.
TYPED_WORDS = ("reason", "error", "reference", "subject", "original_name", "text", "quoted", "from_address")


def _erase_typed(event: Event, replacement: str) -> bool:
    payload: dict[str, Any] = event.payload
    changed = False
    for name in TYPED_WORDS:
        if payload.get(name):
            payload[name] = replacement
            changed = True
    if payload.get("refused"):
        # Each "name: reason" of a file not kept: the name is as the customer's mail gave it.
        payload["refused"] = [replacement for _ in payload["refused"]]
        changed = True
    if event.kind == Kind.ATTACHMENT_ADDED and payload.get("has_thumbnail"):
        # The file went with the customer's erasure (privacy.services.customer_anonymise): no thumbnail to show.
        payload["has_thumbnail"] = False
        changed = True
    if changed and event.kind == Kind.CASE_SEVERITY_CHANGED:
        # Its note is a fact (the change) followed by the reason typed: keep the fact only.
        event.note = severity_note(Severity(payload["before"]), Severity(payload["after"]))
    return changed


def severity_note(before: Severity, after: Severity, reason: str = "") -> str:
    """The timeline's line for a change of severity."""
    return f"{before.label} → {after.label}." + (f" {reason}" if reason else "")
