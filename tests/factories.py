"""factory_boy factories for every model, keeping related rows consistent."""

import datetime
import uuid
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import ClosedDate, Location, OpeningHours, User
from accounts.roles import Role
from cases.models import Case, Event
from customers.models import Customer
from followups.models import FollowUp
from portal.models import SatisfactionResponse
from recovery.models import PolicyVersion, Proposal, ProposalLine

PASSWORD = "correct horse battery staple"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Branch {n}")
    code = factory.Sequence(lambda n: f"branch-{n}")


class OpeningHoursFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OpeningHours

    location = factory.SubFactory(LocationFactory)
    weekday = OpeningHours.Weekday.MONDAY
    opens = datetime.time(9)
    closes = datetime.time(17)


def office_hours(location: Location, *, opens: int = 9, closes: int = 17, days: range = range(5)) -> Location:
    """The location open `opens`-`closes` on these weekdays (Monday to Friday unless said)."""
    for weekday in days:
        OpeningHoursFactory(
            location=location, weekday=weekday, opens=datetime.time(opens), closes=datetime.time(closes)
        )
    return location


class ClosedDateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClosedDate

    location = factory.SubFactory(LocationFactory)
    date = factory.Sequence(lambda n: datetime.date(2026, 1, 1) + datetime.timedelta(days=n))
    name = "Closed for a refit"


class UserFactory(factory.django.DjangoModelFactory):
    """A member of staff in a role, at some locations: UserFactory(role=Role.MANAGER, locations=[soho])."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@staff.example")

    @classmethod
    def _create(cls, model_class, *args, role=Role.FRONTLINE, locations=(), **kwargs):
        user = model_class.objects.create_user(*args, password=PASSWORD, **kwargs)
        if role:
            user.groups.add(Group.objects.get(name=role))
        user.locations.add(*locations)
        return user


def staff(role: Role, *locations, **kwargs) -> User:
    return UserFactory(role=role, locations=locations, **kwargs)


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    phone = factory.Sequence(lambda n: f"+4477009{n:05d}")
    contact_consent = True
    yearly_value = Decimal("500")
    home_location = factory.SubFactory(LocationFactory)


class CaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Case

    location = factory.SubFactory(LocationFactory)
    # The customer is at home where the case happened.
    customer = factory.SubFactory(CustomerFactory, home_location=factory.SelfAttribute("..location"))
    channel = "in_person"
    category = "delay"
    description = factory.Faker("sentence")
    occurred_at = factory.LazyFunction(timezone.now)
    order_value = Decimal("40.00")
    lost = "used"  # what a case with a price and nothing said of it reads as (cases migration 0007)
    severity = "moderate"
    suggested_severity = "moderate"
    state = "open"
    sla_due_at = factory.LazyFunction(timezone.now)
    first_contact_at = factory.LazyFunction(timezone.now)
    created_at = factory.LazyFunction(timezone.now)
    created_by = factory.SubFactory(UserFactory, role=Role.FRONTLINE)
    assignee = factory.SelfAttribute("created_by")
    submission_token = factory.LazyFunction(uuid.uuid4)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    case = factory.SubFactory(CaseFactory)
    location = factory.SelfAttribute("case.location")
    kind = Event.Kind.CASE_NOTE_ADDED
    actor = factory.SelfAttribute("case.created_by")
    note = factory.Faker("sentence")


class SentCustomerMessageFactory(factory.django.DjangoModelFactory):
    """A message to the customer that went out: SentCustomerMessageFactory(case=c, purpose="corrective_message")."""

    class Meta:
        model = FollowUp

    case = factory.SubFactory(CaseFactory)
    kind = factory.LazyAttribute(
        lambda f: "satisfaction_check" if f.purpose == "satisfaction_check" else "customer_message"
    )
    purpose = "remedy_message"
    channel = "email"
    subject = factory.LazyAttribute(lambda f: f"Message: {f.purpose}")
    due_at = factory.LazyFunction(timezone.now)
    state = "sent"
    sent_at = factory.SelfAttribute("due_at")


class ProposalFactory(factory.django.DjangoModelFactory):
    """An approved proposal on a case (give it lines with ProposalLineFactory)."""

    class Meta:
        model = Proposal

    case = factory.SubFactory(CaseFactory)
    policy = factory.LazyFunction(lambda: PolicyVersion.objects.latest())
    title = "Put it right"
    state = Proposal.State.APPROVED
    compensation = Decimal("20.00")
    face_value = Decimal("20.00")
    cost = Decimal("12.00")
    proposed_by = factory.SelfAttribute("case.created_by")
    submission_token = factory.LazyFunction(uuid.uuid4)
    decided_at = None
    # A granted remedy's delivery deadline, as the services work it out with the default policy
    # (48 hours on the wall clock) from its decision, else from now.
    deliver_by = factory.LazyAttribute(
        lambda o: (
            (o.decided_at or timezone.now()) + datetime.timedelta(hours=48)
            if o.state in Proposal.GRANTED_STATES
            else None
        )
    )


class ProposalLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProposalLine

    proposal = factory.SubFactory(ProposalFactory)
    kind = "gift_card"
    face_value = Decimal("20.00")
    cost = Decimal("12.00")


class SatisfactionResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SatisfactionResponse

    case = factory.SubFactory(
        CaseFactory, state="closed", outcome="retained", closed_at=factory.LazyFunction(timezone.now)
    )
    rating = 4
    will_return = SatisfactionResponse.WillReturn.YES
    comment = ""


class CorrectiveActionFactory(factory.django.DjangoModelFactory):
    """An open corrective action at a location, owned by a manager there:
    CorrectiveActionFactory(location=soho); location=None is business-wide."""

    class Meta:
        model = "corrective.CorrectiveAction"

    title = factory.Faker("sentence", nb_words=4)
    description = factory.Faker("paragraph")
    kind = "process"
    location = factory.SubFactory(LocationFactory)
    owner = factory.LazyAttribute(lambda a: staff(Role.MANAGER, *([a.location] if a.location else [])))
    due_date = factory.Faker("date_between", start_date="+1d", end_date="+30d")
    state = "open"
    created_by = factory.SelfAttribute("owner")


def decided(proposal):
    """The event log's entry for a decision already made on `proposal` (as proposal_decide
    writes it), for tests of what follows from one."""
    from cases import events

    return events.record(
        kind=events.Kind.PROPOSAL_DECIDED,
        case=proposal.case,
        actor=proposal.decided_by,
        note=f"Decided “{proposal.title}”.",
        payload=events.ProposalDecided(
            proposal_id=proposal.pk,
            decision=proposal.state,
            proposed_by_id=proposal.proposed_by_id,
            reason=proposal.decision_reason,
        ),
    )
