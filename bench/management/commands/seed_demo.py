"""Demo data for a first look: locations, staff in each role, customers, cases in every state,
and a year of closed cases whose outcomes depend on what was given and how fast (_demo_history.py).

Idempotent: each demo case has a fixed submission token, so running the
command again finds the cases it made before instead of making new ones.
"""

import uuid
from datetime import timedelta
from decimal import Decimal
from random import Random
from typing import Any

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import Location, User
from accounts.roles import Role
from cases.services import IncidentDetails, case_open, case_promise_callback, case_transition
from cases.states import Outcome, State
from conversations.models import SavedReply
from conversations.services import saved_reply_create
from core.links import absolute_url
from customers.models import Customer
from customers.services import CustomerDetails, customer_create
from dashboard.rollups import rollups_rebuild
from recovery.selectors import suggestions_for
from recovery.services import LineInput, proposal_create

from ._demo_history import HISTORY_CASES, deliver, outcome_of
from ._demo_history import history as make_history

PROPOSE = "propose"  # a step in a demo case's path: take the first suggestion
DELIVER = "deliver"  # ... and deliver it (a manager or the owner approves it first if it needs them)
DEMO_NAMESPACE = uuid.UUID("6f1c2a6e-1d0b-4c55-9a7e-7b3f0c1d2e3f")
DEFAULT_PASSWORD = "amends-demo"

LOCATIONS = [("Soho", "soho"), ("Camden", "camden"), ("Manchester", "manchester")]
# How customers reach each one: it signs their messages and shows on their page (numbers
# from Ofcom's ranges kept for drama, so no one real is called).
CONTACT_LINES = {
    "soho": "Call 020 7946 0101 or write to soho@example.com",
    "camden": "Call 020 7946 0202 or write to camden@example.com",
    "manchester": "Call 0161 496 0303 or write to manchester@example.com",
}

STAFF = [
    # username, first, last, role, location codes
    ("frontline", "Fran", "Lyons", Role.FRONTLINE, ["soho"]),
    ("manager", "Maya", "Okafor", Role.MANAGER, ["soho", "camden"]),
    ("owner", "Oliver", "Hart", Role.OWNER, ["soho", "camden", "manchester"]),
    ("sam", "Sam", "Patel", Role.FRONTLINE, ["camden"]),
    ("priya", "Priya", "Shah", Role.FRONTLINE, ["manchester"]),
    ("tom", "Tom", "Byrne", Role.MANAGER, ["manchester"]),
]

CUSTOMERS = [
    ("Alice Moreno", "alice.moreno@example.com", "+447700900101", "soho", Decimal("1200")),
    ("Ben Carter", "ben.carter@example.com", "+447700900102", "soho", Decimal("300")),
    ("Chloe Nguyen", "chloe.nguyen@example.com", "", "camden", Decimal("4500")),
    ("David Osei", "", "+447700900104", "camden", None),
    ("Ella Fitzgerald", "ella.f@example.com", "+447700900105", "manchester", Decimal("800")),
    ("Farid Haddad", "farid.haddad@example.com", "", "manchester", Decimal("150")),
    ("Grace Kim", "grace.kim@example.com", "+447700900107", "soho", Decimal("2600")),
]

# customer email-or-phone, location, channel, category, what happened, value, hidden costs, flags,
# hours ago, the states to walk through (what became of the customer of a closed one: _outcome_model.py)
CASES: list[tuple[Any, ...]] = [
    (
        "alice.moreno@example.com",
        "soho",
        "in_person",
        "delay",
        "Waited 50 minutes for a table that was booked, then the main course came out cold.",
        "64.00",
        "0",
        "",
        {"lost": "all"},
        2,
        [],
    ),
    (
        "ben.carter@example.com",
        "soho",
        "phone",
        "broken_promise",
        "Special birthday cake ordered two weeks ahead was not ready; we promised a call back and never made it.",
        "45.00",
        "0",
        "",
        {"treated_poorly": True},
        30,
        [State.IN_RECOVERY],
    ),
    (
        "chloe.nguyen@example.com",
        "camden",
        "email",
        "defective_product",
        "Repaired car broke down again on the motorway; she missed a client meeting and paid for a tow truck.",
        "380.00",
        "120.00",
        "Tow truck to the garage",
        {"lost": "all"},
        6,
        [],
    ),
    (
        "+447700900104",
        "camden",
        "in_person",
        "billing_error",
        "Charged twice for the same order on the card machine.",
        "89.50",
        "0",
        "",
        {"overcharge": Decimal("89.50")},
        50,
        [State.IN_RECOVERY, PROPOSE],
    ),
    (
        "ella.f@example.com",
        "manchester",
        "chat",
        "staff_conduct",
        "Was spoken to rudely at the counter when asking about a refund.",
        "20.00",
        "0",
        "",
        {"treated_poorly": True},
        80,
        [State.IN_RECOVERY, PROPOSE, DELIVER],
    ),
    (
        "farid.haddad@example.com",
        "manchester",
        "online_review",
        "product_quality",
        "One-star review: the coffee beans were stale on arrival.",
        "18.00",
        "0",
        "",
        {},
        200,
        [State.IN_RECOVERY, PROPOSE, DELIVER, State.FOLLOWING_UP],
    ),
    (
        "grace.kim@example.com",
        "soho",
        "in_person",
        "missed_appointment",
        "The fitting appointment was double-booked; she had taken the afternoon off work.",
        "0",
        "60.00",
        "Half a day of unpaid leave",
        {},
        400,
        [State.IN_RECOVERY, PROPOSE, DELIVER, State.FOLLOWING_UP, State.CLOSED],
    ),
    (
        "alice.moreno@example.com",
        "soho",
        "email",
        "other",
        "Newsletter sent to her old address after she asked us to change it.",
        "0",
        "0",
        "",
        {},
        900,
        [State.CLOSED],
    ),
    (
        "+447700900104",
        "camden",
        "phone",
        "delay",
        "Delivery three days late with no word from us.",
        "35.00",
        "0",
        "",
        {},
        1500,
        [State.IN_RECOVERY, State.CLOSED],
    ),
    (
        "chloe.nguyen@example.com",
        "camden",
        "chat",
        "product_quality",
        "The replacement part squeaks: asked in chat whether that is normal.",
        "40.00",
        "0",
        "",
        {},
        1,
        [],
    ),
    (
        "grace.kim@example.com",
        "soho",
        "in_person",
        "delay",
        "Birthday dinner for six: an hour late to the table, two mains sent back cold.",
        "180.00",
        "0",
        "",
        {"lost": "all"},
        3,
        [PROPOSE],
    ),
    (
        "chloe.nguyen@example.com",
        "camden",
        "phone",
        "defective_product",
        "The replacement gearbox failed within a week; she paid for a hire car for two days.",
        "620.00",
        "90.00",
        "Two days of car hire",
        {"lost": "all"},
        5,
        [PROPOSE],
    ),
]


# The README's walk opens these first: the past year holds enough cases like them that their
# suggestions show evidence (_demo_history._facts).
SHOWCASE = 3


SAVED_REPLIES = [
    (
        "Sorry, and what happens next",
        "About your visit on {{ incident_date }}",
        "Dear {{ first_name }},\n\nThank you for telling us what went wrong, and I am sorry it happened. "
        "I am looking into it now and will be back to you by tomorrow with what we will do to put it right.\n\n"
        "You can see where things stand at any time: {{ link }}\n\n{{ signature }}",
    ),
    (
        "Checking the details",
        "A quick question about {{ reference }}",
        "Dear {{ first_name }},\n\nSo that we can put things right, could you tell us a little more about "
        "what happened? Just reply to this message.\n\nThank you,\n{{ signature }}",
    ),
]


def said(value: str, flags: dict) -> dict:
    """The flags of one of CASES as the case form takes them: a case with a price and nothing
    said of what was lost was used despite the flaw."""
    return {"lost": "used" if Decimal(value) > 0 else "none", **flags}


def showcase_of(case: tuple) -> dict:
    """One of CASES as the history copies it: where, the price, and what the case form said."""
    _, code, _, category, _, value, hidden, hidden_text, flags, _, _ = case
    details = {
        "category": category,
        "hidden_costs": Decimal(hidden),
        "hidden_costs_description": hidden_text,
        **said(value, flags),
    }
    return {"code": code, "order_value": Decimal(value), "details": details}


class Command(BaseCommand):
    help = "Create demo locations, staff, customers and cases (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for new demo users.")
        parser.add_argument(
            "--history",
            type=int,
            default=HISTORY_CASES,
            help="Closed cases over the past year (default %(default)s: enough that the commonest kinds of "
            "case have evidence to show; the tests ask for fewer).",
        )

    @transaction.atomic
    def handle(self, *args, password, history, **options):
        locations = {
            code: Location.objects.get_or_create(
                code=code, defaults={"name": name, "contact_line": CONTACT_LINES[code]}
            )[0]
            for name, code in LOCATIONS
        }
        users = {}
        for username, first, last, role, codes in STAFF:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@amends.example",
                    "is_staff": role is Role.OWNER,
                    "is_superuser": role is Role.OWNER,
                },
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            user.groups.add(Group.objects.get(name=role))
            user.locations.add(*(locations[code] for code in codes))
            users[username] = user

        owner = users["owner"]
        # Frontline staff log what happens at their counter; each location's manager decides.
        frontline = {
            code: users[username] for username, _, _, role, codes in STAFF if role is Role.FRONTLINE for code in codes
        }
        managers = {"soho": users["manager"], "camden": users["manager"], "manchester": users["tom"]}
        customers = {}
        for name, email, phone, code, yearly in CUSTOMERS:
            key = email or phone
            existing = Customer.objects.filter(email=email).first() if email else None
            existing = existing or (Customer.objects.filter(phone=phone).first() if phone else None)
            customers[key] = existing or customer_create(
                details=CustomerDetails(name=name, email=email, phone=phone, contact_consent=True, yearly_value=yearly),
                home_location_id=locations[code].pk,
                actor=owner,
            )

        now = timezone.now()
        made = 0
        for index, (
            key,
            code,
            channel,
            category,
            text,
            value,
            hidden,
            hidden_text,
            flags,
            hours_ago,
            path,
        ) in enumerate(CASES):
            location = locations[code]
            actor = frontline[code]
            logged_at = now - timedelta(hours=hours_ago)
            case, created = case_open(
                actor=actor,
                details=IncidentDetails(
                    location_id=location.pk,
                    channel=channel,
                    category=category,
                    description=text,
                    occurred_at=logged_at - timedelta(minutes=20),
                    order_value=Decimal(value),
                    hidden_costs=Decimal(hidden),
                    hidden_costs_description=hidden_text,
                    **said(value, flags),
                ),
                customer=customers[key],
                submission_token=uuid.uuid5(DEMO_NAMESPACE, f"case-{index}"),
                now=logged_at,
            )
            if not created:
                continue
            made += 1
            step_at = logged_at
            for state in path:
                step_at += timedelta(hours=max(hours_ago // (len(path) + 1), 1))
                if state == PROPOSE:
                    # The first suggestion, as frontline would take it: approved on the spot
                    # within their limit, else waiting for a manager or owner.
                    option = suggestions_for(case, actor)[0]
                    proposal_create(
                        case=case,
                        actor=actor,
                        title=option.title,
                        suggested_rank=option.rank,
                        now=step_at,
                        lines=[LineInput(ln.kind, ln.face_value, ln.reason) for ln in option.lines],
                        submission_token=uuid.uuid5(DEMO_NAMESPACE, f"proposal-{index}"),
                    )
                    case.refresh_from_db()
                    continue
                if state == DELIVER:
                    # A remedy reaches the customer: that alone moves the case to remedy delivered.
                    deliver(case, actor, managers[code], owner, step_at)
                    case.refresh_from_db()
                    continue
                outcome = None
                if state is State.CLOSED:
                    outcome = Outcome(outcome_of(case, Random(f"demo-{index}")).outcome)
                case = case_transition(case=case, actor=actor, to_state=state, outcome=outcome, now=step_at)
            if category == "broken_promise" and case.state != State.CLOSED.value:
                # Promises are kept: Fran is reminded before this call, the managers hear if it is missed.
                case_promise_callback(
                    case=case, actor=actor, at=now + timedelta(hours=2), note="To say when the new cake is ready."
                )
        # Replies staff start from when they write to a customer (once: the titles say if they are there).
        for title, subject, body in SAVED_REPLIES:
            if not SavedReply.objects.filter(title=title).exists():
                saved_reply_create(actor=owner, title=title, subject=subject, body=body, location_id=None)
        made += make_history(
            locations=locations,
            frontline=frontline,
            managers=managers,
            owner=owner,
            now=now,
            cases=history,
            showcase=[showcase_of(case) for case in CASES[:SHOWCASE]],
        )
        if made:
            # The cases were logged in the past: their timeline lines are older than the
            # refresh looks back, so the dashboard's figures are recomputed whole.
            rollups_rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {len(locations)} locations, {len(users)} staff, "
                f"{len(customers)} customers, {made} new cases."
            )
        )
        # Each page is reached by its random token, not the code: say where to find them.
        for location in locations.values():
            link = absolute_url(reverse("report:form", kwargs={"token": location.report_token}))
            self.stdout.write(f"Customers report a problem at {location.name} on {link}")
