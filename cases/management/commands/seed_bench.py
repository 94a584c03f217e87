"""Realistic cases in bulk, for the benchmark: `manage.py seed_bench --cases 1000000`.

Tops up to N bench cases (the ones at the bench locations), so running it
again with a larger N adds the difference; `--reset` deletes the bench data
first. On PostgreSQL rows go in with COPY; elsewhere with bulk_create.
Descriptions are composed from real phrases so that search has hits and misses.
"""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from tqdm import tqdm

from accounts.models import Location, User
from accounts.roles import Role
from cases import sla
from cases.models import Case, CaseEvent
from cases.severity import HarmFacts, assess_severity
from cases.states import State
from customers.models import Customer
from recovery.models import PolicyVersion, Proposal, ProposalLine

PREFIX = "bench"
LOCATIONS = 10
FRONTLINE_PER_LOCATION = 5
CASES_PER_CUSTOMER = 3
CATEGORIES = [
    "billing_error",
    "product_quality",
    "delay",
    "defective_product",
    "missed_appointment",
    "staff_conduct",
    "broken_promise",
    "other",
]
CATEGORY_WEIGHTS = [12, 18, 22, 12, 8, 10, 10, 8]
CHANNELS = ["in_person", "phone", "email", "chat", "online_review"]
CHANNEL_WEIGHTS = [40, 25, 18, 10, 7]
FIRST_NAMES = [
    "Alice",
    "Ben",
    "Chloe",
    "David",
    "Ella",
    "Farid",
    "Grace",
    "Hugo",
    "Isla",
    "Jamal",
    "Kira",
    "Liam",
    "Maya",
    "Noah",
    "Olivia",
    "Priya",
    "Quinn",
    "Rosa",
    "Sam",
    "Tariq",
    "Uma",
    "Victor",
    "Wendy",
    "Xavier",
    "Yusuf",
    "Zoe",
]
LAST_NAMES = [
    "Moreno",
    "Carter",
    "Nguyen",
    "Osei",
    "Fitzgerald",
    "Haddad",
    "Kim",
    "Lyons",
    "Okafor",
    "Hart",
    "Patel",
    "Shah",
    "Byrne",
    "Schmidt",
    "Rossi",
    "Novak",
    "Silva",
    "Walsh",
    "Dubois",
    "Tanaka",
]
WHAT = {
    "billing_error": [
        "was charged twice for the same order",
        "found a service charge nobody mentioned",
        "was billed for a cancelled booking",
        "got the wrong discount on the invoice",
    ],
    "product_quality": [
        "said the coffee beans were stale",
        "found the bread was hard",
        "said the fabric tore on the first wash",
        "found the paint peeling after a week",
    ],
    "delay": [
        "waited fifty minutes for a booked table",
        "had the delivery arrive three days late",
        "waited an hour on hold",
        "saw the main course arrive cold after a long wait",
    ],
    "defective_product": [
        "had the repaired car break down on the motorway",
        "found the kettle would not heat",
        "received a cracked screen",
        "got a bicycle with a broken brake",
    ],
    "missed_appointment": [
        "arrived for a fitting that was double-booked",
        "took the afternoon off and the engineer never came",
        "found the salon closed at the appointment time",
    ],
    "staff_conduct": [
        "was spoken to rudely at the counter",
        "was ignored while staff chatted",
        "was told the complaint was their own fault",
    ],
    "broken_promise": [
        "never got the callback we promised",
        "was promised a refund that never came",
        "ordered a birthday cake that was not ready",
    ],
    "other": [
        "kept getting newsletters after unsubscribing",
        "found the car park locked",
        "could not use the gift card online",
    ],
}
EXTRA = [
    "",
    "",
    " They had guests with them.",
    " It was a special occasion.",
    " They paid for a taxi home.",
    " They missed a client meeting.",
    " A tow truck was needed.",
    " This is the second time this month.",
]
ACTIVE = [State.OPEN, State.IN_RECOVERY, State.AWAITING_APPROVAL, State.REMEDY_DELIVERED, State.FOLLOWING_UP]
PATH = [State.IN_RECOVERY, State.REMEDY_DELIVERED, State.FOLLOWING_UP]

EVENT_COLUMNS = ["case_id", "kind", "actor_id", "created_at", "from_state", "to_state", "note"]


class Command(BaseCommand):
    help = "Make N realistic bench cases (tops up to N; --reset starts again)."

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=10_000)
        parser.add_argument("--batch", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--reset", action="store_true", help="Delete the bench data first.")

    def handle(self, *args, cases, batch, seed, reset, **options):
        self.random = random.Random(seed)
        if reset:
            self.reset()
        locations, staff = self.organisation()
        have = Case.objects.filter(location__code__startswith=f"{PREFIX}-").count()
        wanted = cases - have
        if wanted <= 0:
            self.stdout.write(f"{have:,} bench cases already; nothing to add.")
        else:
            customers = self.customers(max(cases // CASES_PER_CUSTOMER, 1), locations)
            self.stdout.write(f"Adding {wanted:,} cases to the {have:,} there ({len(customers):,} customers)…")
            self.cases(wanted, batch, locations, staff, customers)
        self.pending_proposals(locations, staff, per_location=max(cases // 20_000, 3))
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"{cases:,} bench cases ready."))

    def pending_proposals(self, locations, staff, per_location):
        """Cases waiting for a manager: the approval queue's rows (up to `per_location` each)."""
        policy = PolicyVersion.objects.latest()
        for location in locations:
            have = Proposal.objects.filter(case__location=location, state=Proposal.State.PENDING).count()
            waiting = list(
                Case.objects.filter(location=location, state="open", proposals__isnull=True)
                .order_by("-created_at")
                .values_list("pk", flat=True)[: max(per_location - have, 0)]
            )
            proposer = staff[location.pk][0]
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
                        proposed_by=proposer,
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
                        ProposalLine(proposal=proposal, kind="apology", face_value=0, cost=0, position=0),
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
            Case.objects.filter(pk__in=waiting).update(state="awaiting_approval")

    def reset(self):
        Proposal.objects.filter(case__location__code__startswith=f"{PREFIX}-").delete()
        bench = Case.objects.filter(location__code__startswith=f"{PREFIX}-")
        CaseEvent.objects.filter(case__in=bench).delete()
        bench.delete()
        Customer.objects.filter(email__startswith=f"{PREFIX}").delete()
        User.objects.filter(username__startswith=f"{PREFIX}-").delete()
        Location.objects.filter(code__startswith=f"{PREFIX}-").delete()

    @transaction.atomic
    def organisation(self):
        locations = [
            Location.objects.get_or_create(code=f"{PREFIX}-{i}", defaults={"name": f"Bench branch {i}"})[0]
            for i in range(LOCATIONS)
        ]
        groups = {role: Group.objects.get(name=role) for role in Role}
        staff = {}
        for index, location in enumerate(locations):
            people = []
            for n in range(FRONTLINE_PER_LOCATION):
                people.append(self.person(f"{PREFIX}-frontline-{index}-{n}", groups[Role.FRONTLINE], location))
            self.person(f"{PREFIX}-manager-{index}", groups[Role.MANAGER], location)
            staff[location.pk] = people
        self.person(f"{PREFIX}-owner", groups[Role.OWNER], None)
        return locations, staff

    def person(self, username, group, location):
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": self.random.choice(FIRST_NAMES), "last_name": self.random.choice(LAST_NAMES)},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.add(group)
            if location is not None:
                user.locations.add(location)
        return user

    def customers(self, count, locations):
        existing = list(Customer.objects.filter(email__startswith=PREFIX).values_list("pk", "home_location_id"))
        start = len(existing)
        new = [
            Customer(
                name=f"{self.random.choice(FIRST_NAMES)} {self.random.choice(LAST_NAMES)}",
                email=f"{PREFIX}{i}@example.net",
                phone=f"+4478{i:09d}",
                contact_consent=self.random.random() < 0.8,
                yearly_value=Decimal(self.random.choice([50, 120, 300, 800, 2500, 9000])),
                home_location=self.random.choice(locations),
            )
            for i in range(start, count)
        ]
        for offset in tqdm(range(0, len(new), 10_000), desc="customers", unit="batch", disable=not new):
            Customer.objects.bulk_create(new[offset : offset + 10_000])
        return list(Customer.objects.filter(email__startswith=PREFIX).values_list("pk", "home_location_id"))

    def cases(self, count, batch, locations, staff, customers):
        now = timezone.now()
        next_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        with tqdm(total=count, desc="cases", unit="case") as progress:
            while count > 0:
                size = min(batch, count)
                rows, events = [], []
                for case_id in range(next_id, next_id + size):
                    row, row_events = self.case(case_id, now, staff, customers)
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
                cursor.execute("SELECT setval(pg_get_serial_sequence('cases_case', 'id'), %s)", [next_id - 1])

    def case(self, case_id, now, staff, customers):
        r = self.random
        customer_id, location_id = r.choice(customers)
        if r.random() < 0.15:  # customers sometimes have trouble at another branch
            location_id = r.choice(list(staff))
        category = r.choices(CATEGORIES, CATEGORY_WEIGHTS)[0]
        channel = r.choices(CHANNELS, CHANNEL_WEIGHTS)[0]
        created = now - timedelta(seconds=r.randrange(0, 730 * 86400))
        order_value = Decimal(r.choice([0, 8, 18, 35, 64, 120, 240, 380, 900])) + Decimal(r.randrange(0, 100)) / 100
        hidden = Decimal(r.choice([0, 0, 0, 0, 25, 60, 120, 300]))
        ruined, poorly, repeat = r.random() < 0.25, r.random() < 0.15, r.random() < 0.1
        severity = assess_severity(
            HarmFacts(
                loss=order_value,
                hidden_costs=hidden,
                experience_ruined=ruined,
                treated_poorly=poorly,
                repeat_incident=repeat,
            )
        ).severity.value
        age_days = (now - created).days
        state = State.CLOSED if age_days > 30 or r.random() < 0.3 else r.choice(ACTIVE)
        actor = r.choice(staff[location_id]).pk
        live = sla.contacted_on_logging(channel)
        due = sla.first_contact_due(channel, created)
        contacted = (
            created
            if live
            else (None if state is State.OPEN and r.random() < 0.5 else due - timedelta(minutes=r.randrange(0, 180)))
        )
        closed_at = created + timedelta(days=r.randrange(1, 20)) if state is State.CLOSED else None
        outcome = r.choices(["retained", "lost", "unknown"], [70, 10, 20])[0] if closed_at else ""
        name = r.choice(FIRST_NAMES)
        description = f"{name} {r.choice(WHAT[category])}.{r.choice(EXTRA)}"
        row = {
            "id": case_id,
            "customer_id": customer_id,
            "location_id": location_id,
            "channel": channel,
            "category": category,
            "description": description,
            "occurred_at": created - timedelta(minutes=20),
            "order_value": order_value,
            "hidden_costs": hidden,
            "hidden_costs_description": "Taxi and tow truck" if hidden else "",
            "experience_ruined": ruined,
            "treated_poorly": poorly,
            "repeat_incident": repeat,
            "promised_callback_at": None,
            "severity": severity,
            "suggested_severity": severity,
            "severity_override_reason": "",
            "state": state.value,
            "outcome": outcome,
            "assignee_id": actor if r.random() < 0.9 else None,
            "sla_due_at": due,
            "first_contact_at": contacted,
            "closed_at": closed_at,
            "created_at": created,
            "updated_at": closed_at or created,
            "created_by_id": actor,
            "submission_token": uuid.uuid4(),
        }
        events = [[case_id, "opened", actor, created, "", State.OPEN.value, f"Severity suggested: {severity}."]]
        previous, at = State.OPEN, created
        path = PATH if state is State.CLOSED else PATH[: max(ACTIVE.index(state) - 1, 0)]
        for step in [*path, state] if state is not State.OPEN else []:
            if step is previous:
                continue
            at += timedelta(hours=r.randrange(1, 48))
            events.append([case_id, "transition", actor, min(at, closed_at or now), previous.value, step.value, ""])
            previous = step
        return row, events

    def write(self, model, columns, rows):
        if connection.vendor == "postgresql":
            table = connection.ops.quote_name(model._meta.db_table)
            with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        fields = [model._meta.get_field(name).attname if name.endswith("_id") else name for name in columns]
        model.objects.bulk_create([model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=500)
