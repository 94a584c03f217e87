"""Writing cases: one function per action. Each runs in one transaction and
writes the case's timeline entry together with the change it records."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from accounts.roles import works_at
from accounts.working_time import WorkingCalendar
from core.exceptions import ApplicationError
from core.money import format_money
from core.translatable import translate_filled
from customers.models import Customer
from customers.services import CustomerDetails, customer_create, customer_for_report

from . import deadlines, events, sla
from .events import Kind
from .models import Case, Category, Channel, Event
from .severity import REPEAT_WINDOW, HarmFacts, Lost, Severity, SeverityAssessment, assess_severity
from .states import REFUSALS, IllegalTransition, Outcome, Remedies, State, check_transition, remedies_of

NOT_YOUR_LOCATION = _("You do not work at that location.")
FUTURE_INCIDENT = _("The incident cannot be in the future.")
NEGATIVE_AMOUNT = _("An amount cannot be negative.")
AMOUNT_TOO_LARGE = _("That is more than {maximum}: check the amount.")
OVERRIDE_NEEDS_REASON = _("Say why the severity differs from the suggested one.")
CALLBACK_IN_PAST = _("A promised callback must be in the future.")
CASE_CLOSED_FOR_CALLBACK = _("The case is closed: reopen it to promise a callback.")
NO_CALLBACK_PROMISED = _("No callback is promised on this case.")
ASSIGNEE_ELSEWHERE = _("{name} does not work at this case's location.")
NOTE_EMPTY = _("Write the note first.")
UNKNOWN_LOST = _("Say how much of what they paid for they did not get.")
NO_CUSTOMER = _("Choose the customer or enter a new one.")
CASE_CHANGED = _("Someone else changed this case a moment ago; here it is as it stands now.")

# A week of someone's time is the most a case can say it cost them.
TIME_LOST_MAX_MINUTES = 7 * 24 * 60
TIME_LOST_OUT_OF_RANGE = format_lazy(
    _("Time lost is between 0 and {maximum} minutes (a week)."), maximum=f"{TIME_LOST_MAX_MINUTES:,}"
)


@dataclass(frozen=True)
class IncidentDetails:
    """What staff tell us about the incident, as plain values."""

    location_id: int
    channel: str
    category: str
    description: str
    occurred_at: datetime
    order_value: Decimal = Decimal(0)
    hidden_costs: Decimal = Decimal(0)
    hidden_costs_description: str = ""
    overcharge: Decimal = Decimal(0)  # money wrongly taken: the most a correction may give back
    lost: str = Lost.NONE.value  # how much of what they paid for they did not get
    time_lost_minutes: int = 0
    occasion_mattered: bool = False
    treated_poorly: bool = False
    fixed_on_spot: bool = False  # put right there and then
    promised_callback_at: datetime | None = None
    assignee_id: int | None = None
    severity: str = ""  # empty: take the suggested severity
    severity_override_reason: str = ""


def _check_location(actor: User, location_id: int, field: str | None = "location") -> None:
    if not works_at(actor, location_id):
        raise ApplicationError(NOT_YOUR_LOCATION, field=field)


def _check_amount(amount: Decimal, field: str) -> None:
    if amount < 0:
        raise ApplicationError(NEGATIVE_AMOUNT, field=field)
    if amount > settings.AMENDS_MAX_AMOUNT:
        raise ApplicationError(AMOUNT_TOO_LARGE.format(maximum=settings.AMENDS_MAX_AMOUNT), field=field)


def _check_assignee(assignee_id: int | None, location_id: int) -> User | None:
    if assignee_id is None:
        return None
    # Integrations (api/) act at a location but are no one to give a case to.
    assignee = User.objects.filter(pk=assignee_id, is_active=True, is_integration=False).first()
    if assignee is None or not assignee.locations.filter(pk=location_id).exists():
        name = assignee or gettext("That person")
        raise ApplicationError(ASSIGNEE_ELSEWHERE.format(name=name), field="assignee")
    return assignee


def is_repeat_incident(customer: Customer | None, now: datetime) -> bool:
    if customer is None or customer.pk is None:
        return False
    return customer.cases.filter(created_at__gte=now - REPEAT_WINDOW).exists()


def suggest_severity(
    *,
    category: str,
    order_value: Decimal,
    overcharge: Decimal,
    hidden_costs: Decimal,
    lost: Lost,
    time_lost_minutes: int,
    occasion_mattered: bool,
    treated_poorly: bool,
    customer: Customer | None,
    now: datetime,
) -> SeverityAssessment:
    """The severity the facts suggest, counting an incident of the same customer within 90 days.
    A billing error is about the overcharge, not the price of what was bought (still had)."""
    billing = category == Category.BILLING_ERROR
    return assess_severity(
        HarmFacts(
            loss=overcharge if billing else order_value,
            hidden_costs=hidden_costs,
            lost=Lost.NONE if billing else lost,
            time_lost_minutes=time_lost_minutes,
            occasion_mattered=occasion_mattered,
            treated_poorly=treated_poorly,
            repeat_incident=is_repeat_incident(customer, now),
        ),
        money=format_money,
    )


def _check_incident(details: IncidentDetails, now: datetime) -> None:
    """The facts of an incident, each within its bounds (before anything is written)."""
    if details.occurred_at > now + timedelta(minutes=5):  # allow for a clock a little fast
        raise ApplicationError(FUTURE_INCIDENT, field="occurred_at")
    _check_amount(details.order_value, "order_value")
    _check_amount(details.hidden_costs, "hidden_costs")
    _check_amount(details.overcharge, "overcharge")
    if not 0 <= details.time_lost_minutes <= TIME_LOST_MAX_MINUTES:
        raise ApplicationError(TIME_LOST_OUT_OF_RANGE, field="time_lost_minutes")
    if details.lost not in {member.value for member in Lost}:
        raise ApplicationError(UNKNOWN_LOST, field="lost")
    if details.promised_callback_at is not None and details.promised_callback_at <= now:
        raise ApplicationError(CALLBACK_IN_PAST, field="promised_callback_at")


@transaction.atomic
def case_open(
    *,
    actor: User,
    details: IncidentDetails,
    customer: Customer | None = None,
    new_customer: CustomerDetails | None = None,
    submission_token: uuid.UUID,
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Log an incident, creating the customer too if they are new.

    Returns (case, created). The same submission token twice returns the case
    the first submit created: a double-clicked button logs one case.
    Everything happens in one transaction: a refused case leaves no customer behind.
    """
    now = now or timezone.now()
    existing = Case.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False

    _check_location(actor, details.location_id)
    _check_incident(details, now)
    assignee = _check_assignee(details.assignee_id, details.location_id)

    if customer is None:
        if new_customer is None:
            raise ApplicationError(NO_CUSTOMER, field="customer")
        try:
            customer = customer_create(details=new_customer, home_location_id=details.location_id, actor=actor)
        except ApplicationError:
            # Submitted twice at once with a new customer: the first submit made both.
            existing = Case.objects.filter(submission_token=submission_token).first()
            if existing is not None:
                return existing, False
            raise

    assessment = suggest_severity(
        category=details.category,
        order_value=details.order_value,
        overcharge=details.overcharge,
        hidden_costs=details.hidden_costs,
        lost=Lost(details.lost),
        time_lost_minutes=details.time_lost_minutes,
        occasion_mattered=details.occasion_mattered,
        treated_poorly=details.treated_poorly,
        customer=customer,
        now=now,
    )
    suggested = assessment.severity.value
    severity = details.severity or suggested
    if severity != suggested and not details.severity_override_reason.strip():
        raise ApplicationError(OVERRIDE_NEEDS_REASON, field="severity_override_reason")

    calendar = deadlines.deadline_calendar(details.location_id)
    case = _new_case(details, customer, assessment, severity, actor, assignee, submission_token, now, calendar)
    # The related rows were loaded or checked above, the token was looked up,
    # and the check constraints hold in the database itself: skip the queries
    # full_clean would spend on them, validate the fields.
    case.full_clean(
        exclude=["customer", "location", "assignee", "created_by"], validate_unique=False, validate_constraints=False
    )
    existing = _save_new(case)
    if existing is not None:
        return existing, False
    _record_logged(case, actor, assessment, now)
    return case, True


def _save_new(case: Case) -> Case | None:
    """Insert the case; None, or the case another request made with the same token at the
    same moment (this transaction is then rolled back: it leaves nothing of its own)."""
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # The same form submitted twice at the same moment: the other request won.
        existing = Case.objects.filter(submission_token=case.submission_token).first()
        if existing is None:
            raise
        transaction.set_rollback(True)
        return existing
    return None


REPORT_EMPTY = gettext_noop("Tell us what went wrong.")
REPORT_TOO_LONG = _("Please keep it to {maximum:,} characters (it has {length:,}).")
REPORT_MAX_LENGTH = 2000
LOCATION_CLOSED = _("This location no longer takes reports here.")
REPORTED_NOTE = "The customer reported this themselves on the location's page."


@transaction.atomic
def case_report(
    *,
    location_id: int,
    category: str,
    description: str,
    customer: CustomerDetails,
    submission_token: uuid.UUID,
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Log a case the customer reported themselves (the location's public page): open, channel
    online, first contact due within a day, nobody of staff as its author (created_by and the
    event's actor empty; the timeline says the customer reported it). The customer is the one
    on file with the email or phone given, else a new one.

    Returns (case, created): the same submission token twice returns the first case.
    """
    now = now or timezone.now()
    existing = Case.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    if not Location.objects.filter(pk=location_id, is_active=True).exists():
        raise ApplicationError(LOCATION_CLOSED)
    description = description.strip()
    if not description:
        raise ApplicationError(REPORT_EMPTY, field="description")
    if len(description) > REPORT_MAX_LENGTH:
        message = REPORT_TOO_LONG.format(maximum=REPORT_MAX_LENGTH, length=len(description))
        raise ApplicationError(message, field="description")
    details = IncidentDetails(
        location_id=location_id, channel=Channel.ONLINE, category=category, description=description, occurred_at=now
    )
    found, _ = customer_for_report(details=customer, home_location_id=location_id)
    return _log_told_by_customer(details, found, submission_token, now)


def _log_told_by_customer(
    details: IncidentDetails,
    customer: Customer,
    submission_token: uuid.UUID,
    now: datetime,
    *,
    follows: Case | None = None,
    reported: str = "",
) -> tuple[Case, bool]:
    """Log a case the customer told us of themselves (their page, an email): no one of staff
    as its author, the severity from what is known, the deadline on the location's clock."""
    assessment = _told_nothing_more(details.category, customer, now)
    calendar = deadlines.deadline_calendar(details.location_id)
    severity = assessment.severity.value
    case = _new_case(details, customer, assessment, severity, None, None, submission_token, now, calendar)
    case.follows = follows
    case.full_clean(
        exclude=["customer", "location", "assignee", "created_by", "follows"],
        validate_unique=False,
        validate_constraints=False,
    )
    existing = _save_new(case)
    if existing is not None:
        return existing, False
    _record_logged(case, None, assessment, now, reported=reported)
    return case, True


def _told_nothing_more(category: str, customer: Customer, now: datetime) -> SeverityAssessment:
    """The severity of a case the customer told us of themselves (their page, an email): only
    the category and their history are known; staff weigh the rest when they read it."""
    return suggest_severity(
        category=category,
        order_value=Decimal(0),
        overcharge=Decimal(0),
        hidden_costs=Decimal(0),
        lost=Lost.NONE,
        time_lost_minutes=0,
        occasion_mattered=False,
        treated_poorly=False,
        customer=customer,
        now=now,
    )


def _new_case(
    details: IncidentDetails,
    customer: Customer,
    assessment: SeverityAssessment,
    severity: str,
    actor: User | None,
    assignee: User | None,
    submission_token: uuid.UUID,
    now: datetime,
    calendar: WorkingCalendar | None,
) -> Case:
    """The case as logged, unsaved: the facts told, the severity chosen, the clocks started
    (the first-contact deadline in the location's working time when `calendar` is given)."""
    overridden = severity != assessment.severity.value
    return Case(
        customer=customer,
        location_id=details.location_id,
        channel=details.channel,
        category=details.category,
        description=details.description.strip(),
        occurred_at=details.occurred_at,
        order_value=details.order_value,
        hidden_costs=details.hidden_costs,
        hidden_costs_description=details.hidden_costs_description.strip(),
        overcharge=details.overcharge,
        lost=details.lost,
        time_lost_minutes=details.time_lost_minutes,
        occasion_mattered=details.occasion_mattered,
        treated_poorly=details.treated_poorly,
        fixed_on_spot=details.fixed_on_spot,
        repeat_incident=assessment.facts.repeat_incident,
        promised_callback_at=details.promised_callback_at,
        severity=severity,
        suggested_severity=assessment.severity.value,
        severity_override_reason=details.severity_override_reason.strip() if overridden else "",
        # Whoever logged it, unless an integration did (api/): nobody then, until someone takes it.
        assignee=assignee or (actor if actor is not None and not actor.is_integration else None),
        sla_due_at=sla.first_contact_due(details.channel, now, calendar),
        sla_in_working_time=calendar is not None,
        first_contact_at=now if sla.contacted_on_logging(details.channel) else None,
        created_at=now,
        created_by=actor,
        submission_token=submission_token,
    )


def _record_logged(
    case: Case, actor: User | None, assessment: SeverityAssessment, now: datetime, reported: str = ""
) -> None:
    """The case's first line: its facts, and the severity suggested (and why). No actor: the
    customer reported it themselves (`reported` says how; their own page by default)."""
    note = _opening_note(case, assessment)
    events.record(
        kind=Kind.CASE_LOGGED,
        case=case,
        actor=actor,
        now=now,
        to_state=case.state,
        note=note if actor is not None else f"{reported or REPORTED_NOTE} {note}",
        payload=events.CaseLogged(
            state=case.state,
            severity=case.severity,
            suggested_severity=case.suggested_severity,
            channel=case.channel,
            category=case.category,
            customer_id=case.customer_id,
            reported_by_customer=actor is None,
        ),
    )


def _opening_note(case: Case, assessment: SeverityAssessment) -> str:
    note = f"Severity suggested: {assessment.severity.label}"
    if assessment.reasons:
        note += " (" + "; ".join(assessment.reasons) + ")"
    if case.severity_overridden:
        note += f". Set to {Severity(case.severity).label}: {case.severity_override_reason}"
    if case.overcharge:
        # The fact a correction is checked against, on the record from the start.
        note += f". Overcharged {format_money(case.overcharge)}, to be given back"
    return note + "."


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def case_remedies(case: Case) -> Remedies:
    """Whether a proposal on the case awaits a decision, and whether a remedy was delivered."""
    return remedies_of(case.proposals.order_by().values_list("state", flat=True).distinct())


@transaction.atomic
def case_transition(
    *,
    case: Case,
    actor: User,
    to_state: State,
    outcome: Outcome | None = None,
    note: str = "",
    expected_state: str | None = None,
    now: datetime | None = None,
) -> Case:
    """Move a case to another state, if its life and its remedies allow it, and put it on the timeline.

    Only a proposal puts a case in waiting for approval and only its decision takes it
    out (the recovery services call this after writing the proposal); "remedy delivered"
    needs a delivered remedy.

    `expected_state` is the state the user saw: if the case moved meanwhile,
    the request is refused rather than applied to a case they have not seen.
    """
    now = now or timezone.now()
    case = _locked(case)
    _check_location(actor, case.location_id, field=None)
    current = case.state_enum
    if expected_state is not None and expected_state != current.value:
        raise ApplicationError(CASE_CHANGED)
    try:
        check_transition(current, to_state, outcome, case_remedies(case))
    except IllegalTransition as error:
        raise ApplicationError(translate_filled(str(error), REFUSALS, gettext)) from error

    case.state = to_state.value
    case.outcome = outcome.value if outcome else ""
    case.closed_at = now if to_state is State.CLOSED else None
    fields = ["state", "outcome", "closed_at", "updated_at"]
    # Working on the recovery means someone has spoken to the customer.
    first_contact = case.first_contact_at is None and to_state is not State.CLOSED
    if first_contact:
        case.first_contact_at = now
        fields.append("first_contact_at")
    case.save(update_fields=fields)
    text = note.strip()
    if outcome:
        text = f"Outcome: {outcome.label}." + (f" {text}" if text else "")
    events.record(
        kind=Kind.CASE_STATE_CHANGED,
        case=case,
        actor=actor,
        now=now,
        from_state=current.value,
        to_state=to_state.value,
        note=text,
        payload=events.StateChanged(
            before=current.value,
            after=to_state.value,
            outcome=outcome.value if outcome else "",
            first_contact=first_contact,
        ),
    )
    return case


@transaction.atomic
def case_add_note(*, case: Case, actor: User, note: str, now: datetime | None = None) -> Event:
    """Put a note on the case's timeline."""
    if not note.strip():
        raise ApplicationError(NOTE_EMPTY, field="note")
    _check_location(actor, case.location_id, field=None)
    return events.record(
        kind=Kind.CASE_NOTE_ADDED, case=case, actor=actor, now=now, note=note.strip(), payload=events.Empty()
    )


@transaction.atomic
def case_record_contact(*, case: Case, actor: User, note: str = "", now: datetime | None = None) -> Case:
    """Record that someone has spoken to the customer: the first-contact clock stops."""
    now = now or timezone.now()
    case = _locked(case)
    _check_location(actor, case.location_id, field=None)
    _contact_made(case, actor, now, note.strip())
    return case


def _contact_made(case: Case, actor: User | None, now: datetime, note: str) -> bool:
    """The customer was reached: the first time, the first-contact clock stops. On the timeline
    either way; returns whether it was the first contact."""
    first_contact = case.first_contact_at is None
    if first_contact:
        case.first_contact_at = now
        case.save(update_fields=["first_contact_at", "updated_at"])
    payload = events.ContactMade(first_contact=first_contact)
    events.record(kind=Kind.CASE_CONTACT_MADE, case=case, actor=actor, now=now, note=note, payload=payload)
    return first_contact


@transaction.atomic
def case_contacted_in_writing(*, case: Case, actor: User | None, how: str, now: datetime | None = None) -> bool:
    """A message staff wrote to the customer has gone (followups' sender, once it is sent):
    if nobody had reached the customer yet, this is the first contact and the clock stops.
    Returns whether it was the first contact; a later message adds nothing here (the
    timeline already says it was sent).

    A written message counts, where a message from a template does not: it is a person
    answering this customer about this case, which is what the first-contact deadline
    measures (helpdesks count the first reply the same way), and the research behind the
    deadline is about how soon the customer hears from us, not by which channel. It counts
    when sent, not when written: until then the customer has heard nothing, and a message
    that fails never counts. `actor` is who wrote it; their location was checked then.
    """
    case = _locked(case)
    if case.first_contact_at is not None:
        return False
    return _contact_made(case, actor, now or timezone.now(), f"First contact: a message from staff was sent by {how}.")


@transaction.atomic
def case_promise_callback(
    *, case: Case, actor: User, at: datetime, note: str = "", now: datetime | None = None
) -> Case:
    """Promise the customer a call at a time: the assignee is reminded before it, and the
    managers hear if it was not made. A new promise replaces the earlier one."""
    now = now or timezone.now()
    case = _locked(case)
    _check_location(actor, case.location_id, field=None)
    if case.state == State.CLOSED.value:
        raise ApplicationError(CASE_CLOSED_FOR_CALLBACK)
    if at <= now:
        raise ApplicationError(CALLBACK_IN_PAST, field="at")
    before = case.promised_callback_at
    case.promised_callback_at = at
    case.save(update_fields=["promised_callback_at", "updated_at"])
    text = f"Callback promised for {timezone.localtime(at):%a %-d %b, %H:%M}." + (f" {note.strip()}" if note else "")
    events.record(
        kind=Kind.CASE_CALLBACK_PROMISED,
        case=case,
        actor=actor,
        now=now,
        note=text,
        payload=events.CallbackPromised(at=at, before=before),
    )
    return case


@transaction.atomic
def case_callback_made(*, case: Case, actor: User, note: str = "", now: datetime | None = None) -> Case:
    """The promised callback was made: the promise is kept, its escalation will not go out,
    and the customer has been reached."""
    now = now or timezone.now()
    case = _locked(case)
    _check_location(actor, case.location_id, field=None)
    promised_at = case.promised_callback_at
    if promised_at is None:
        raise ApplicationError(NO_CALLBACK_PROMISED)
    case.promised_callback_at = None
    fields = ["promised_callback_at", "updated_at"]
    first_contact = case.first_contact_at is None
    if first_contact:
        case.first_contact_at = now
        fields.append("first_contact_at")
    case.save(update_fields=fields)
    text = "Called the customer back as promised." + (f" {note.strip()}" if note.strip() else "")
    events.record(
        kind=Kind.CASE_CALLBACK_MADE,
        case=case,
        actor=actor,
        now=now,
        note=text,
        payload=events.CallbackMade(promised_at=promised_at, first_contact=first_contact),
    )
    return case


@transaction.atomic
def case_assign(*, case: Case, actor: User, assignee_id: int | None, now: datetime | None = None) -> Case:
    """Give the case to someone at its location (or to nobody), on the timeline."""
    case = _locked(case)
    _check_location(actor, case.location_id, field=None)
    assignee = _check_assignee(assignee_id, case.location_id)
    before = case.assignee_id
    if before == (assignee.pk if assignee else None):
        return case
    case.assignee = assignee
    case.save(update_fields=["assignee", "updated_at"])
    events.record(
        kind=Kind.CASE_ASSIGNED,
        case=case,
        actor=actor,
        now=now,
        note=f"Assigned to {assignee}." if assignee else "Unassigned.",
        payload=events.Assigned(before=before, after=assignee.pk if assignee else None),
    )
    return case


@transaction.atomic
def case_set_severity(*, case: Case, actor: User, severity: Severity, reason: str, now: datetime | None = None) -> Case:
    """Override the suggested severity; a reason is required and kept."""
    case = _locked(case)
    _check_location(actor, case.location_id, field=None)
    if severity.value != case.suggested_severity and not reason.strip():
        raise ApplicationError(OVERRIDE_NEEDS_REASON, field="reason")
    if severity.value == case.severity:
        return case
    previous = case.severity_enum
    case.severity = severity.value
    case.severity_override_reason = reason.strip() if severity.value != case.suggested_severity else ""
    case.save(update_fields=["severity", "severity_override_reason", "updated_at"])
    events.record(
        kind=Kind.CASE_SEVERITY_CHANGED,
        case=case,
        actor=actor,
        now=now,
        note=events.severity_note(previous, severity, reason.strip()),
        payload=events.SeverityChanged(before=previous.value, after=severity.value, reason=reason.strip()),
    )
    return case


EMAILED_NOTE = "The customer wrote in by email."
REOPENED_BY_REPLY = "The customer wrote back: reopened."


@transaction.atomic
def case_open_from_email(
    *,
    location_id: int,
    customer: Customer,
    category: str,
    description: str,
    submission_token: uuid.UUID,
    follows: Case | None = None,
    reported: str = EMAILED_NOTE,
    now: datetime | None = None,
) -> tuple[Case, bool]:
    """Log a case from an email the customer sent (inbox/): open, channel email, nobody of
    staff as its author, first contact due as for any written complaint. `follows` is the
    closed case it continues when the customer wrote back too long after it closed; the new
    case links to it, and both pages show the link. `reported` is the timeline's first words.

    Returns (case, created): the same submission token twice (the inbound message's own,
    derived from its Message-ID) returns the first case.
    """
    now = now or timezone.now()
    existing = Case.objects.filter(submission_token=submission_token).first()
    if existing is not None:
        return existing, False
    text = description.strip() or "(The email had no text.)"
    details = IncidentDetails(
        location_id=location_id, channel=Channel.EMAIL, category=category, description=text[:4000], occurred_at=now
    )
    return _log_told_by_customer(details, customer, submission_token, now, follows=follows, reported=reported)


@transaction.atomic
def case_reopen_on_reply(*, case: Case, note: str = REOPENED_BY_REPLY, now: datetime | None = None) -> Case:
    """The customer wrote back about a closed case soon after it closed: it is reopened (in
    recovery, the one way out of closed), with no one of staff as the actor and `note` saying
    why. A case no longer closed is left as it is."""
    now = now or timezone.now()
    case = _locked(case)
    current = case.state_enum
    if current is not State.CLOSED:
        return case
    check_transition(current, State.IN_RECOVERY, None, case_remedies(case))
    case.state = State.IN_RECOVERY.value
    case.outcome = ""
    case.closed_at = None
    case.save(update_fields=["state", "outcome", "closed_at", "updated_at"])
    events.record(
        kind=Kind.CASE_STATE_CHANGED,
        case=case,
        actor=None,
        now=now,
        from_state=current.value,
        to_state=State.IN_RECOVERY.value,
        note=note,
        payload=events.StateChanged(before=current.value, after=State.IN_RECOVERY.value),
    )
    return case
