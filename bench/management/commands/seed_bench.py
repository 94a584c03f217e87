"""Realistic cases in bulk, for the benchmark: `manage.py seed_bench --cases 1000000`.

Tops up to N bench cases (the cases at the "bench-*" locations), so running it
again with a larger N adds the difference and a smaller N adds nothing;
`--reset` deletes the bench data first (`--reset --cases 0` deletes it and
stops there). On PostgreSQL rows go in with COPY
(every index and constraint stays in place) and ANALYZE runs at the end;
elsewhere they go in with bulk_create. The timeline rows too: bench is tooling, and is
allowed to bulk insert into the event log rather than go through `cases.events.record` one
row at a time; each row is what `record` would have written (_bench_recovery.Entry).

The data keeps the app's rules: severities come from `cases/severity.py`, the
first-contact deadline from `cases/sla.py`, each timeline follows the allowed
transitions, closed cases have an outcome and a closing time, and nothing
happens in the future. Descriptions are composed from real phrases, so that
full-text search has hits and misses.

Each case comes with what the services would have written around it, in the
same batch: its proposal, remedies and ledger (_bench_recovery.py), and its
follow-ups, what became of the customer and their answer to the satisfaction check
(synthetic, from what they were given and how fast: _outcome_model.py) and its link to
a corrective action of its location (_bench_aftercare.py).
"""

import json
import random
import uuid
from dataclasses import dataclass, field, replace
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import JSONField
from django.db.models.functions import Coalesce
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Location, User
from accounts.role import A_ROLE
from accounts.roles import Role
from accounts.selectors import location_calendars
from cases import events, sla
from cases.events import Kind
from cases.models import Case, Event
from cases.severity import HarmFacts, Lost, Severity, assess_severity
from cases.states import State
from core.money import format_money
from corrective.models import CorrectiveAction, CorrectiveActionCase
from customers.models import Customer
from followups.models import FollowUp
from followups.selectors import timings_in_force
from followups.services import customer_channel
from portal.models import SatisfactionResponse
from recovery.catalogue import catalogue_to_json
from recovery.models import LedgerEntry, PolicyVersion, Proposal, ProposalLine
from recovery.policy import DEFAULT_CATALOGUE
from recovery.selectors import PolicyInForce, policy_in_force
from recovery.suggestions import CaseFacts
from recovery.totals import Totals, totals_words

from ._bench_aftercare import Aftercare, BenchCustomer, corrective_actions
from ._bench_recovery import EVENT_COLUMNS, LEDGER_COLUMNS, Entry, Recovery, mark_first_contact
from ._bench_vocabulary import (
    BRANCHES,
    CATEGORY_WEIGHTS,
    CONSEQUENCE,
    FIRST_NAMES,
    HIDDEN_COSTS,
    LAST_NAMES,
    NOTES,
    OCCASION,
    WHAT,
)

PREFIX = "bench"
LOCATIONS = 10
FRONTLINE_PER_LOCATION = 5
CASES_PER_CUSTOMER = 3
DAYS = 730  # cases spread over two years
# Bench phones are +44 7710 000000 onwards: clear of the demo data (+44 7700 900xxx) and the factories.
PHONE_BASE = 447_710_000_000

CHANNELS = ["in_person", "phone", "email", "chat", "online_review"]
CHANNEL_WEIGHTS = [40, 25, 18, 10, 7]
SEVERITIES = [severity.value for severity in Severity]  # in rank order
# What a reset deletes, and then vacuums on PostgreSQL (the next seed runs three times slower
# among the dead rows: the deferred foreign-key checks at commit wade through them).
BENCH_TABLES = [
    Case,
    Event,
    Customer,
    Proposal,
    ProposalLine,
    LedgerEntry,
    FollowUp,
    SatisfactionResponse,
    CorrectiveAction,
    CorrectiveActionCase,
]


@dataclass
class Batch:
    """One transaction's rows, table by table, in an order their foreign keys allow."""

    cases: list[dict] = field(default_factory=list)
    events: list[list] = field(default_factory=list)
    proposals: list[dict] = field(default_factory=list)
    lines: list[dict] = field(default_factory=list)
    ledger: list[list] = field(default_factory=list)
    followups: list[dict] = field(default_factory=list)
    responses: list[dict] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)

    def tables(self):
        """(model, columns, rows) of each table with rows."""
        for model, rows in (
            (Case, self.cases),
            (Proposal, self.proposals),
            (ProposalLine, self.lines),
            (FollowUp, self.followups),
            (SatisfactionResponse, self.responses),
            (CorrectiveActionCase, self.links),
        ):
            if rows:
                yield model, list(rows[0]), (list(row.values()) for row in rows)
        yield Event, EVENT_COLUMNS, self.events
        if self.ledger:
            yield LedgerEntry, LEDGER_COLUMNS, self.ledger


class Command(BaseCommand):
    help = "Make N realistic bench cases (tops up to N; --reset deletes the bench data first)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000, help="Bench cases wanted in all.")
        parser.add_argument("--batch", type=int, default=20_000, help="Cases written per transaction.")
        parser.add_argument(
            "--seed",
            type=int,
            default=42,
            help="Random seed: the same seed makes the same data.",
        )
        parser.add_argument("--reset", action="store_true", help="Delete the bench data first.")

    def handle(self, *args, cases, batch, seed, reset, **options):
        if cases < 0 or batch < 1:
            raise CommandError("--cases must be at least 0 and --batch at least 1.")
        self.now = timezone.now()
        if reset:
            self.reset()
            if cases == 0:  # `--reset --cases 0`: the bench data gone, staff and branches too
                self.stdout.write(self.style.SUCCESS("Bench data deleted."))
                return
        have = Case.objects.filter(location__code__startswith=f"{PREFIX}-").count()
        # A top-up draws from a stream of its own: on the first run's stream, whose draws per
        # case vary, it would soon fall in step with the first run and repeat its tokens.
        self.random = random.Random(seed if have == 0 else f"{seed}:{have}")
        staff, self.managers, self.owner_id = self.organisation()
        self.location_ids = list(staff)
        self.in_force = self.policy()
        wanted = cases - have
        if wanted <= 0:
            self.stdout.write(f"{have:,} bench cases already; nothing to add.")
        else:
            customers = self.customers(max(cases // CASES_PER_CUSTOMER, 1))
            actions = corrective_actions(
                rng=self.random,
                now=self.now,
                location_ids=self.location_ids,
                managers=self.managers,
                cases_wanted=cases,
            )
            self.stdout.write(f"Adding {wanted:,} cases to the {have:,} there ({len(customers):,} customers)…")
            self.cases(wanted, batch, staff, customers, actions)
        self.pending_proposals(staff, per_location=max(cases // 20_000, 3))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"{max(cases, have):,} bench cases ready."))

    def reset(self):
        bench_locations = Location.objects.filter(code__startswith=f"{PREFIX}-")
        self.stdout.write("Deleting the bench data…")
        # The ORM's delete, so that whatever refers to a case (timeline, proposals, follow-ups,
        # answers, links) goes with it; in chunks, so that a million cases are never in memory
        # at once. The ledger protects its lines, and actions their location: they go first and last.
        for model, scope in (
            (LedgerEntry, "location__in"),
            (Case, "location__in"),
            (Customer, "home_location__in"),
            (CorrectiveAction, "location__in"),
        ):
            rows = model.objects.filter(**{scope: bench_locations}).order_by("pk")
            while chunk := list(rows.values_list("pk", flat=True)[:20_000]):
                model.objects.filter(pk__in=chunk).delete()
        User.objects.filter(username__startswith=f"{PREFIX}-").delete()
        bench_locations.delete()
        if connection.vendor == "postgresql" and not connection.in_atomic_block:  # (a test's transaction)
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in BENCH_TABLES)
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM (ANALYZE) {tables}")

    def policy(self) -> PolicyInForce:
        """The recovery policy in force; the first, with the default catalogue, if there is none."""
        if not PolicyVersion.objects.exists():
            PolicyVersion.objects.create(catalogue=catalogue_to_json(DEFAULT_CATALOGUE), note="Amends' defaults")
        return policy_in_force()

    @transaction.atomic
    def organisation(self) -> tuple[dict[int, list[int]], dict[int, int], int]:
        """Ten branches, five frontline staff and a manager at each, and an owner:
        {location id: frontline ids}, {location id: manager id}, the owner's id."""
        groups = {role: Group.objects.get(name=role) for role in Role}
        staff, managers = {}, {}
        for index in range(LOCATIONS):
            location, _ = Location.objects.get_or_create(
                code=f"{PREFIX}-{index}",
                defaults={"name": f"Bench {BRANCHES[index % len(BRANCHES)]} {index}"},
            )
            staff[location.pk] = [
                self.person(f"{PREFIX}-frontline-{index}-{n}", groups[Role.FRONTLINE], location).pk
                for n in range(FRONTLINE_PER_LOCATION)
            ]
            managers[location.pk] = self.person(f"{PREFIX}-manager-{index}", groups[Role.MANAGER], location).pk
        owner = self.person(f"{PREFIX}-owner", groups[Role.OWNER], None)
        return staff, managers, owner.pk

    def person(self, username, group, location):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": self.random.choice(FIRST_NAMES),
                "last_name": self.random.choice(LAST_NAMES),
                "email": f"{username}@staff.example",
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
            if location is not None:
                user.locations.add(location)
        return user

    def bench_customers(self) -> list[BenchCustomer]:
        customers = Customer.objects.filter(home_location__code__startswith=f"{PREFIX}-").order_by("pk")
        fields = ["pk", "home_location_id", "name", "yearly_value", "contact_consent", "email", "phone"]
        shared: dict = {}  # a third of a million customers share a few dozen names and values
        return [
            BenchCustomer(
                row["pk"],
                row["home_location_id"],
                shared.setdefault(row["name"].split()[0], row["name"].split()[0]),
                shared.setdefault(row["yearly_value"], row["yearly_value"]),
                row["contact_consent"],
                getattr(customer_channel(SimpleNamespace(**row)), "value", None),  # type: ignore[arg-type]  # a row
            )
            for row in customers.values(*fields, "preferred_channel")
        ]

    def customers(self, count) -> list[BenchCustomer]:
        """Tops the bench customers up to `count`; returns them all."""
        r = self.random
        start = len(self.bench_customers())
        rows = []
        for i in range(start, count):
            first, last = r.choice(FIRST_NAMES), r.choice(LAST_NAMES)
            has_phone = r.random() < 0.85
            has_email = r.random() < 0.95 or not has_phone  # the customer service wants one or the other
            email = f"{first}.{last}.{i}@example.net".lower().replace("'", "")
            rows.append(
                {
                    "name": f"{first} {last}",
                    # Unique and stored normalised, as the customer service stores them.
                    "email": email if has_email else "",
                    "phone": f"+{PHONE_BASE + i}" if has_phone else "",
                    "preferred_channel": r.choices(["email", "phone", "sms", "post"], [55, 30, 12, 3])[0],
                    "contact_consent": r.random() < 0.8,
                    "yearly_value": Decimal(r.choice([50, 120, 300, 800, 2500, 9000])),
                    "customer_since": (self.now - timedelta(days=r.randrange(DAYS, 8 * 365))).date(),
                    "notes": "",
                    "home_location_id": self.location_ids[i % LOCATIONS],  # spread evenly over the branches
                    "created_at": self.now - timedelta(days=DAYS, seconds=r.randrange(0, 365 * 86400)),
                    "created_by_id": None,
                }
            )
        for offset in tqdm(
            range(0, len(rows), 20_000),
            desc="customers",
            unit="batch",
            disable=not rows,
        ):
            chunk = rows[offset : offset + 20_000]
            with transaction.atomic():
                self.write(Customer, list(chunk[0]), [list(row.values()) for row in chunk])
        return self.bench_customers()

    def cases(self, count, batch, staff, customers, actions):
        """Writes `count` cases with everything around them, `batch` cases to a transaction.
        Ids are given here (the follow-ups' are needed by the corrective links)."""
        first_ids = {
            model: self.next_id(model) for model in (Case, Proposal, ProposalLine, FollowUp, SatisfactionResponse)
        }
        next_id = first_ids[Case]
        timings = timings_in_force()
        # Where the policy counts deadlines in working time: every location's calendar, read once
        # for the whole run (two queries); one open round the clock is the wall clock.
        calendars = location_calendars(self.location_ids) if timings.in_working_time else {}
        self.calendars = {pk: c for pk, c in calendars.items() if not c.is_always_open}
        self.recovery = Recovery(
            rng=self.random,
            now=self.now,
            in_force=self.in_force,
            managers=self.managers,
            owner_id=self.owner_id,
            proposal_id=first_ids[Proposal],
            line_id=first_ids[ProposalLine],
            calendars=self.calendars,
        )
        self.aftercare = Aftercare(
            rng=self.random,
            now=self.now,
            timings=timings,
            managers=self.managers,
            actions=actions,
            followup_id=first_ids[FollowUp],
            response_id=first_ids[SatisfactionResponse],
        )
        with tqdm(total=count, desc="cases", unit="case") as progress:
            while count > 0:
                size = min(batch, count)
                rows = Batch()
                for case_id in range(next_id, next_id + size):
                    self.case(case_id, staff, customers, rows)
                with transaction.atomic():
                    for model, columns, table_rows in rows.tables():
                        self.write(model, columns, table_rows)
                next_id += size
                count -= size
                progress.update(size)
        if connection.vendor == "postgresql":
            last_ids = {
                Case: next_id - 1,
                Proposal: self.recovery.proposal_id - 1,
                ProposalLine: self.recovery.line_id - 1,
                FollowUp: self.aftercare.followup_id - 1,
                SatisfactionResponse: self.aftercare.response_id - 1,
            }
            with connection.cursor() as cursor:
                for model, last in last_ids.items():
                    cursor.execute(
                        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, %s)",
                        [model._meta.db_table, max(last, 1), last >= 1],
                    )

    @staticmethod
    def next_id(model) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    def case(self, case_id, staff, customers, rows: Batch):
        """One case (a dict named by column), its timeline and the rows around it, as the services make them."""
        r, now = self.random, self.now
        customer = r.choice(customers)
        location_id, first_name = customer.location_id, customer.first_name
        if r.random() < 0.15:  # customers sometimes have trouble at another branch
            location_id = r.choice(self.location_ids)
        actor = r.choice(staff[location_id])
        category = r.choices(list(CATEGORY_WEIGHTS), list(CATEGORY_WEIGHTS.values()))[0]
        costs = HIDDEN_COSTS.get(category, "")
        channel = r.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        created = now - timedelta(seconds=r.randrange(60, DAYS * 86400))
        live = sla.contacted_on_logging(channel)
        occurred = created - timedelta(minutes=r.randrange(5, 60 if live else 3 * 24 * 60))

        order_value = Decimal(r.choice([0, 8, 18, 35, 64, 120, 240, 380, 900, 2400])) + Decimal(r.randrange(100)) / 100
        hidden = Decimal(r.choice([0, 25, 60, 120, 300])) if costs and r.random() < 0.3 else Decimal(0)
        overcharge = order_value if category == "billing_error" else Decimal(0)  # charged twice
        ruined, poorly, repeat = r.random() < 0.25, r.random() < 0.15, r.random() < 0.1
        # A ruined experience lost all of it; otherwise what had a price was used despite the flaw.
        lost = Lost.ALL if ruined else Lost.USED if order_value > 0 else Lost.NONE
        if category == "billing_error":  # the form asks only for the overcharge there
            lost = Lost.NONE
        fixed = order_value < 20 and not (ruined or poorly or hidden)  # a small slip put right there and then
        facts = HarmFacts(
            loss=order_value,
            hidden_costs=hidden,
            lost=lost,
            treated_poorly=poorly,
            repeat_incident=repeat,
        )
        suggested = assess_severity(facts).severity.value
        severity, override_reason = suggested, ""
        if r.random() < 0.02 and suggested != Severity.CRITICAL.value:
            # Staff sometimes know better than the rule, and say why: one level up.
            severity = SEVERITIES[SEVERITIES.index(suggested) + 1]
            override_reason = "A regular customer, and the owner wants to know."

        # Old cases are closed; recent ones are anywhere in their life (_bench_recovery.py).
        life = self.recovery.life(
            case_id=case_id,
            location_id=location_id,
            actor=actor,
            facts=CaseFacts(
                category=category,
                severity=Severity(severity),
                order_value=order_value,
                hidden_costs=hidden,
                hidden_costs_description=costs if hidden else "",
                overcharge=overcharge,
                lost=lost,
                treated_poorly=poorly,
                repeat_incident=repeat,
                fixed_on_spot=fixed,
            ),
            yearly_value=customer.yearly_value,
            created=created,
            closing=now - created > timedelta(days=30) or r.random() < 0.3,
        )
        first = life.first_move

        calendar = self.calendars.get(location_id)
        due = sla.first_contact_due(channel, created, calendar)
        contacted, contact_event = None, None
        if live:
            contacted = created
        else:
            reply = min(created + (due - created) * r.uniform(0.1, 1.6), now)  # sometimes late
            if first and reply >= first.at:
                # Moving the case on counts as the first contact; closing it straight away does not.
                contacted = first.at if first.to_state != State.CLOSED.value else None
            elif first or r.random() < 0.6:
                contacted = contact_event = reply

        logged = events.CaseLogged(
            state=State.OPEN.value,
            severity=severity,
            suggested_severity=suggested,
            channel=channel,
            category=category,
            customer_id=customer.id,
        )
        note = f"Severity suggested: {suggested.capitalize()}."
        entries = [Entry(case_id, location_id, Kind.CASE_LOGGED, actor, created, logged, note, "", State.OPEN.value)]
        if contact_event:
            contact = events.ContactMade(first_contact=False)  # settled below, with the whole timeline
            note = f"Replied by {channel.replace('_', ' ')}."
            entries.append(Entry(case_id, location_id, Kind.CASE_CONTACT_MADE, actor, contact_event, contact, note))
        entries.extend(life.events)
        if life.events and r.random() < 0.3:
            last = max(event.at for event in life.events)
            at = created + (last - created) * r.random()
            entries.append(
                Entry(case_id, location_id, Kind.CASE_NOTE_ADDED, actor, at, events.Empty(), r.choice(NOTES))
            )
        # A callback is promised for a day or more after logging; only for cases old enough
        # for it to be settled (a follow-up still to go out would be swept by the dispatcher).
        promised = created + timedelta(days=r.randrange(1, 4)) if r.random() < 0.05 else None
        if promised is not None and promised > now - timedelta(hours=1):
            promised = None

        row = {
            "id": case_id,
            "customer_id": customer.id,
            "location_id": location_id,
            "channel": channel,
            "category": category,
            "description": f"{first_name} {r.choice(WHAT[category])}.{r.choice(OCCASION)}{r.choice(CONSEQUENCE)}",
            "occurred_at": occurred,
            "order_value": order_value,
            "hidden_costs": hidden,
            "hidden_costs_description": costs if hidden else "",
            "overcharge": overcharge,
            "lost": lost.value,
            "time_lost_minutes": 0,
            "occasion_mattered": False,
            "treated_poorly": poorly,
            "repeat_incident": repeat,
            "fixed_on_spot": fixed,
            "promised_callback_at": promised,
            "severity": severity,
            "suggested_severity": suggested,
            "severity_override_reason": override_reason,
            "state": life.state.value,
            "outcome": life.outcome,
            "assignee_id": actor if r.random() < 0.9 else None,
            "sla_due_at": due,
            "sla_in_working_time": calendar is not None,
            "first_contact_at": contacted,
            "closed_at": life.closed_at,
            "created_at": created,
            "updated_at": created,
            "created_by_id": actor,
            "submission_token": uuid.UUID(int=r.getrandbits(128), version=4),
        }
        after = self.aftercare.case(row, life, customer)  # may settle the callback: the row changes
        entries.extend(after.events)
        mark_first_contact(entries, contacted_on_logging=live)
        row["updated_at"] = max(entry.at for entry in entries)
        rows.cases.append(row)
        rows.events.extend(entry.row() for entry in entries)
        if life.proposal is not None:
            rows.proposals.append(life.proposal)
            rows.lines.extend(life.lines)
            rows.ledger.extend(life.ledger)
        rows.followups.extend(after.followups)
        if after.response is not None:
            rows.responses.append(after.response)
        if after.link is not None:
            rows.links.append(after.link)

    @transaction.atomic
    def pending_proposals(self, staff, per_location):
        """Cases waiting for a manager: the approval queue's rows (up to `per_location` at each branch)."""
        policy = PolicyVersion.objects.latest()
        title, amount, limit = "Matched to what went wrong", Decimal("120.00"), Decimal(50)
        why = f"{format_money(amount)} is above a frontline limit of {format_money(limit)}"
        summary = f"“{title}” ({totals_words(Totals(amount, amount), format_money)})"
        proposed = f"Proposed {summary}. Needs {A_ROLE[Role.MANAGER]}: {why}."
        for location_id, people in staff.items():
            have = Proposal.objects.filter(case__location_id=location_id, state=Proposal.State.PENDING).count()
            waiting = dict(
                Case.objects.filter(
                    location_id=location_id,
                    state=State.OPEN.value,
                    proposals__isnull=True,
                )
                .order_by("-created_at")
                .values_list("pk", "first_contact_at")[: max(per_location - have, 0)]
            )
            if not waiting:
                continue
            proposer = people[0]
            proposals = Proposal.objects.bulk_create(
                [
                    Proposal(
                        case_id=pk,
                        policy=policy,
                        title=title,
                        suggested_rank=1,
                        state=Proposal.State.PENDING,
                        compensation=amount,
                        face_value=amount,
                        cost=amount,
                        approver_role=Role.MANAGER.value,
                        approval_reason=why,
                        proposed_by_id=proposer,
                        submission_token=uuid.uuid4(),
                    )
                    for pk in waiting
                ]
            )
            ProposalLine.objects.bulk_create(
                [
                    line
                    for proposal in proposals
                    for line in (
                        ProposalLine(
                            proposal=proposal,
                            kind="apology",
                            face_value=0,
                            cost=0,
                            position=0,
                        ),
                        ProposalLine(
                            proposal=proposal,
                            kind="full_refund",
                            face_value=amount,
                            cost=amount,
                            position=1,
                        ),
                    )
                ]
            )
            # Asking for approval is a move on the timeline, and counts as the first contact.
            Case.objects.filter(pk__in=waiting).update(
                state=State.AWAITING_APPROVAL.value,
                first_contact_at=Coalesce("first_contact_at", self.now),
                updated_at=self.now,
            )
            # proposal_create: the proposal on the timeline, then the move it makes.
            moved = events.StateChanged(before=State.OPEN.value, after=State.AWAITING_APPROVAL.value)
            entries = []
            for proposal in proposals:
                made = events.ProposalMade(proposal_id=proposal.pk, total=amount, needs=Role.MANAGER.value)
                entries += [
                    Entry(proposal.case_id, location_id, Kind.PROPOSAL_MADE, proposer, self.now, made, proposed),
                    Entry(
                        proposal.case_id,
                        location_id,
                        Kind.CASE_STATE_CHANGED,
                        proposer,
                        self.now,
                        replace(moved, first_contact=waiting[proposal.case_id] is None),
                        "",
                        State.OPEN.value,
                        State.AWAITING_APPROVAL.value,
                    ),
                ]
            self.write(Event, EVENT_COLUMNS, [entry.row() for entry in entries])

    def write(self, model, columns, rows):
        """COPY on PostgreSQL; bulk_create elsewhere (where auto_now fields take the current time)."""
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(model._meta.db_table)
            # COPY takes JSON as its text (psycopg adapts no dict by itself).
            json_at = [i for i, name in enumerate(columns) if isinstance(model._meta.get_field(name), JSONField)]
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    for i in json_at:
                        row[i] = json.dumps(row[i])
                    copy.write_row(row)
            return
        fields = [model._meta.get_field(name).attname for name in columns]
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=500,
        )
