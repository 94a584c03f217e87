"""Realistic cases in bulk, for the benchmark: `manage.py seed_bench --cases 1000000`.

Tops up to N bench cases (the cases at the "bench-*" locations), so running it
again with a larger N adds the difference and a smaller N adds nothing;
`--reset` deletes the bench data first. On PostgreSQL rows go in with COPY
(every index and constraint stays in place) and ANALYZE runs at the end;
elsewhere they go in with bulk_create.

The data keeps the app's rules: severities come from `cases/severity.py`, the
first-contact deadline from `cases/sla.py`, each timeline follows the allowed
transitions, closed cases have an outcome and a closing time, and nothing
happens in the future. Descriptions are composed from real phrases, so that
full-text search has hits and misses.
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Location, User
from accounts.roles import Role
from cases import sla
from cases.models import Case, CaseEvent
from cases.severity import HarmFacts, Severity, assess_severity
from cases.states import Outcome, State
from customers.models import Customer
from recovery.models import PolicyVersion, Proposal, ProposalLine

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
ACTIVE = [
    State.OPEN,
    State.IN_RECOVERY,
    State.AWAITING_APPROVAL,
    State.REMEDY_DELIVERED,
    State.FOLLOWING_UP,
]
# The states a case passes through after being opened, to reach each state (all allowed transitions).
PATHS = {
    State.OPEN: [],
    State.IN_RECOVERY: [State.IN_RECOVERY],
    State.AWAITING_APPROVAL: [State.IN_RECOVERY, State.AWAITING_APPROVAL],
    State.REMEDY_DELIVERED: [State.IN_RECOVERY, State.REMEDY_DELIVERED],
    State.FOLLOWING_UP: [State.IN_RECOVERY, State.REMEDY_DELIVERED, State.FOLLOWING_UP],
}
CLOSING_PATHS = [
    [State.CLOSED],
    [State.IN_RECOVERY, State.CLOSED],
    [*PATHS[State.FOLLOWING_UP], State.CLOSED],
]
OUTCOMES = [Outcome.RETAINED, Outcome.LOST, Outcome.UNKNOWN]
SEVERITIES = [severity.value for severity in Severity]  # in rank order

EVENT_COLUMNS = [
    "case_id",
    "kind",
    "actor_id",
    "created_at",
    "from_state",
    "to_state",
    "note",
]


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
        self.random = random.Random(seed)
        self.now = timezone.now()
        if reset:
            self.reset()
        staff = self.organisation()
        self.location_ids = list(staff)
        have = Case.objects.filter(location__code__startswith=f"{PREFIX}-").count()
        wanted = cases - have
        if wanted <= 0:
            self.stdout.write(f"{have:,} bench cases already; nothing to add.")
        else:
            customers = self.customers(max(cases // CASES_PER_CUSTOMER, 1))
            self.stdout.write(f"Adding {wanted:,} cases to the {have:,} there ({len(customers):,} customers)…")
            self.cases(wanted, batch, staff, customers)
        self.pending_proposals(staff, per_location=max(cases // 20_000, 3))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"{max(cases, have):,} bench cases ready."))

    def reset(self):
        bench_locations = Location.objects.filter(code__startswith=f"{PREFIX}-")
        self.stdout.write("Deleting the bench data…")
        # The ORM's delete, so that whatever refers to a case (timeline, proposals) goes with it;
        # in chunks, so that a million cases are never in memory at once.
        for model, scope in ((Case, "location__in"), (Customer, "home_location__in")):
            rows = model.objects.filter(**{scope: bench_locations}).order_by("pk")
            while chunk := list(rows.values_list("pk", flat=True)[:20_000]):
                model.objects.filter(pk__in=chunk).delete()
        User.objects.filter(username__startswith=f"{PREFIX}-").delete()
        bench_locations.delete()

    @transaction.atomic
    def organisation(self) -> dict[int, list[int]]:
        """Ten branches, five frontline staff and a manager at each, and an owner: {location id: staff ids}."""
        groups = {role: Group.objects.get(name=role) for role in Role}
        staff = {}
        for index in range(LOCATIONS):
            location, _ = Location.objects.get_or_create(
                code=f"{PREFIX}-{index}",
                defaults={"name": f"Bench {BRANCHES[index % len(BRANCHES)]} {index}"},
            )
            staff[location.pk] = [
                self.person(f"{PREFIX}-frontline-{index}-{n}", groups[Role.FRONTLINE], location).pk
                for n in range(FRONTLINE_PER_LOCATION)
            ]
            self.person(f"{PREFIX}-manager-{index}", groups[Role.MANAGER], location)
        self.person(f"{PREFIX}-owner", groups[Role.OWNER], None)
        return staff

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

    def bench_customers(self) -> list[tuple[int, int, str]]:
        customers = Customer.objects.filter(home_location__code__startswith=f"{PREFIX}-").order_by("pk")
        rows = customers.values_list("pk", "home_location_id", "name")
        return [(pk, location_id, name.split()[0]) for pk, location_id, name in rows]

    def customers(self, count) -> list[tuple[int, int, str]]:
        """Tops the bench customers up to `count`: (id, home location id, first name) of each."""
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

    def cases(self, count, batch, staff, customers):
        next_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with tqdm(total=count, desc="cases", unit="case") as progress:
            while count > 0:
                size = min(batch, count)
                rows, events = [], []
                for case_id in range(next_id, next_id + size):
                    row, row_events = self.case(case_id, staff, customers)
                    rows.append(row)
                    events.extend(row_events)
                with transaction.atomic():
                    self.write(Case, list(rows[0]), [list(row.values()) for row in rows])
                    self.write(CaseEvent, EVENT_COLUMNS, events)
                next_id += size
                count -= size
                progress.update(size)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)",
                    [next_id - 1],
                )

    def case(self, case_id, staff, customers):
        """One case row (a dict named by column) and its timeline rows, as `case_open` and the services make them."""
        r, now = self.random, self.now
        customer_id, location_id, first_name = r.choice(customers)
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
        ruined, poorly, repeat = r.random() < 0.25, r.random() < 0.15, r.random() < 0.1
        facts = HarmFacts(
            loss=order_value,
            hidden_costs=hidden,
            experience_ruined=ruined,
            treated_poorly=poorly,
            repeat_incident=repeat,
        )
        suggested = assess_severity(facts).severity.value
        severity, override_reason = suggested, ""
        if r.random() < 0.02 and suggested != Severity.CRITICAL.value:
            # Staff sometimes know better than the rule, and say why: one level up.
            severity = SEVERITIES[SEVERITIES.index(suggested) + 1]
            override_reason = "A regular customer, and the owner wants to know."

        # Old cases are closed; recent ones are anywhere in their life.
        if now - created > timedelta(days=30) or r.random() < 0.3:
            path, state = r.choice(CLOSING_PATHS), State.CLOSED
        else:
            state = r.choice(ACTIVE)
            path = PATHS[state]
        # The moves happen within three weeks of logging, and never after now.
        span = min(now - created, timedelta(days=21))
        times = sorted(created + span * r.random() for _ in path)

        due = sla.first_contact_due(channel, created)
        contacted, contact_event = None, None
        if live:
            contacted = created
        else:
            reply = min(created + (due - created) * r.uniform(0.1, 1.6), now)  # sometimes late
            if times and reply >= times[0]:
                # Moving the case on counts as the first contact; closing it straight away does not.
                contacted = times[0] if path[0] is not State.CLOSED else None
            elif times or r.random() < 0.6:
                contacted = contact_event = reply

        events = [
            [
                case_id,
                "opened",
                actor,
                created,
                "",
                State.OPEN.value,
                f"Severity suggested: {suggested.capitalize()}.",
            ]
        ]
        if contact_event:
            events.append(
                [
                    case_id,
                    "contact",
                    actor,
                    contact_event,
                    "",
                    "",
                    f"Replied by {channel.replace('_', ' ')}.",
                ]
            )
        outcome = ""
        previous = State.OPEN
        for step, at in zip(path, times, strict=True):
            note = ""
            if step is State.CLOSED:
                outcome = r.choices(OUTCOMES, [70, 10, 20])[0]
                note = f"Outcome: {outcome.label}."
                outcome = outcome.value
            events.append([case_id, "transition", actor, at, previous.value, step.value, note])
            previous = step
        if times and r.random() < 0.3:
            events.append(
                [
                    case_id,
                    "note",
                    actor,
                    created + (times[-1] - created) * r.random(),
                    "",
                    "",
                    r.choice(NOTES),
                ]
            )
        closed_at = times[-1] if state is State.CLOSED else None

        row = {
            "id": case_id,
            "customer_id": customer_id,
            "location_id": location_id,
            "channel": channel,
            "category": category,
            "description": f"{first_name} {r.choice(WHAT[category])}.{r.choice(OCCASION)}{r.choice(CONSEQUENCE)}",
            "occurred_at": occurred,
            "order_value": order_value,
            "hidden_costs": hidden,
            "hidden_costs_description": costs if hidden else "",
            "experience_ruined": ruined,
            "treated_poorly": poorly,
            "repeat_incident": repeat,
            "promised_callback_at": created + timedelta(days=r.randrange(1, 4)) if r.random() < 0.05 else None,
            "severity": severity,
            "suggested_severity": suggested,
            "severity_override_reason": override_reason,
            "state": state.value,
            "outcome": outcome,
            "assignee_id": actor if r.random() < 0.9 else None,
            "sla_due_at": due,
            "first_contact_at": contacted,
            "closed_at": closed_at,
            "created_at": created,
            "updated_at": max([created, *(event[3] for event in events)]),
            "created_by_id": actor,
            "submission_token": uuid.UUID(int=r.getrandbits(128), version=4),
        }
        return row, events

    @transaction.atomic
    def pending_proposals(self, staff, per_location):
        """Cases waiting for a manager: the approval queue's rows (up to `per_location` at each branch)."""
        policy = PolicyVersion.objects.latest()
        for location_id, people in staff.items():
            have = Proposal.objects.filter(case__location_id=location_id, state=Proposal.State.PENDING).count()
            waiting = list(
                Case.objects.filter(
                    location_id=location_id,
                    state=State.OPEN.value,
                    proposals__isnull=True,
                )
                .order_by("-created_at")
                .values_list("pk", flat=True)[: max(per_location - have, 0)]
            )
            if not waiting:
                continue
            proposer = people[0]
            proposals = Proposal.objects.bulk_create(
                [
                    Proposal(
                        case_id=pk,
                        policy=policy,
                        title="Matched to what went wrong",
                        suggested_rank=1,
                        state=Proposal.State.PENDING,
                        compensation=Decimal("120.00"),
                        face_value=Decimal("120.00"),
                        cost=Decimal("120.00"),
                        approver_role="Manager",
                        approval_reason="120.00 is above your limit of 50.00",
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
                            face_value=Decimal("120.00"),
                            cost=Decimal("120.00"),
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
            CaseEvent.objects.bulk_create(
                CaseEvent(
                    case_id=pk,
                    kind=CaseEvent.Kind.TRANSITION,
                    actor_id=proposer,
                    created_at=self.now,
                    from_state=State.OPEN.value,
                    to_state=State.AWAITING_APPROVAL.value,
                )
                for pk in waiting
            )

    def write(self, model, columns, rows):
        """COPY on PostgreSQL; bulk_create elsewhere (where auto_now fields take the current time)."""
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(model._meta.db_table)
            with (
                connection.cursor() as cursor,
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
            return
        fields = [model._meta.get_field(name).attname for name in columns]
        model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows],
            batch_size=500,
        )
