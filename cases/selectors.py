"""Reading cases: every read path is scoped to the reader's locations here, once."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.locations import phone_regions
from accounts.models import User
from accounts.roles import location_ids_of
from customers.contact import normalise_email, phone_readings, phone_search_digits
from customers.models import Customer

from .models import Case, Event, parse_reference
from .states import ACTIVE_STATES

ACTIVE_VALUES = [state.value for state in ACTIVE_STATES]
# A search that matches more customers than this is too vague to be useful.
CUSTOMER_MATCH_LIMIT = 200


def cases_visible_to(user: User) -> QuerySet[Case]:
    location_ids = location_ids_of(user)
    cases = Case.objects.all()
    return cases if location_ids is None else cases.filter(location_id__in=location_ids)


def overdue_q(now: datetime | None = None) -> Q:
    """No first contact yet and the deadline has passed (closed cases are never overdue)."""
    return Q(first_contact_at__isnull=True, sla_due_at__lt=now or timezone.now(), state__in=ACTIVE_VALUES)


def case_list(user: User) -> QuerySet[Case]:
    """The list page's rows: one query, whatever the number of rows."""
    return cases_visible_to(user).select_related("customer", "location", "assignee")


def description_search_q(text: str) -> Q:
    if connection.vendor == "postgresql":
        # Matches the GIN index made in cases/migrations (to_tsvector of the description).
        return Q(description_vector=SearchQuery(text, config="english", search_type="websearch"))
    return Q(description__icontains=text)


def with_search_vector(cases: QuerySet[Case]) -> QuerySet[Case]:
    if connection.vendor == "postgresql":
        return cases.annotate(description_vector=SearchVector("description", config="english"))
    return cases


def case_search(cases: QuerySet[Case], text: str) -> QuerySet[Case]:
    """Cases whose reference, customer name, email or phone (however typed), or description matches."""
    text = text.strip()
    if not text:
        return cases
    matches = Q(pk=-1)
    reference = parse_reference(text)
    if reference is not None:
        matches |= Q(pk=reference)
    if len(text) >= 2:
        customer_matches = Q(name__icontains=text) | Q(email__icontains=text)
        if phones := phone_readings(text, phone_regions(None)):
            customer_matches |= Q(phone__in=phones)
        customer_ids = list(
            Customer.objects.filter(customer_matches).values_list("pk", flat=True)[:CUSTOMER_MATCH_LIMIT]
        )
        if customer_ids:
            matches |= Q(customer_id__in=customer_ids)
        matches |= description_search_q(text)
    return with_search_vector(cases).filter(matches)


def case_get(user: User, pk: int) -> Case:
    """One case with what its page shows, or 404 if the user may not see it."""
    events = Event.objects.select_related("actor").order_by("created_at", "id")
    return get_object_or_404(
        cases_visible_to(user)
        .select_related("customer", "location", "assignee", "created_by", "satisfaction")
        .prefetch_related(Prefetch("events", queryset=events)),
        pk=pk,
    )


# Which customers someone sees is a rule about cases (a customer is visible wherever they
# have one), so reading customers, scoped, lives here, above the customers app.


def customers_visible_to(user: User) -> QuerySet[Customer]:
    """A customer is visible at their home location and wherever they have a case."""
    location_ids = location_ids_of(user)
    customers = Customer.objects.all()
    if location_ids is None:
        return customers
    has_case_here = Exists(Case.objects.filter(customer=OuterRef("pk"), location_id__in=location_ids))
    return customers.filter(Q(home_location_id__in=location_ids) | has_case_here)


def customer_get(user: User, pk: int) -> Customer:
    """The customer, or 404 if the user may not see them (never a 403 that confirms they exist)."""
    return get_object_or_404(customers_visible_to(user).select_related("home_location"), pk=pk)


def customer_search(user: User, text: str, limit: int = 8) -> list[Customer]:
    """Type-ahead: visible customers whose name, email or phone contains the text.

    An exact email or phone finds the customer at any location, so that a
    customer known at another branch is not entered twice.
    """
    text = text.strip()
    if len(text) < 2:
        return []
    matches = Q(name__icontains=text) | Q(email__icontains=text)
    if digits := phone_search_digits(text):
        matches |= Q(phone__contains=digits)
    phones = phone_readings(text, phone_regions(location_ids_of(user)))
    found = list(customers_visible_to(user).filter(matches | Q(phone__in=phones)).order_by("name")[:limit])
    exact = contact_q(email=text, phones=phones)
    seen = {customer.pk for customer in found}
    found += [c for c in Customer.objects.filter(exact)[:2] if c.pk not in seen]
    return found[:limit]


def contact_q(*, email: str = "", phones: set[str] | frozenset[str] = frozenset()) -> Q:
    """Customers whose email is `email` (compared as stored, in lower case) or whose number is one
    of `phones` (E.164, as phone_readings gives them)."""
    found = Q(phone__in=phones) if phones else Q(pk__in=[])
    if email.strip():
        found |= Q(email=normalise_email(email))
    return found


def customer_find(user: User, *, email: str = "", phone: str = "") -> QuerySet[Customer]:
    """The customers the user may see with this email or phone (the API's look-up): at most one
    of each, since both are unique."""
    phones = phone_readings(phone, phone_regions(location_ids_of(user))) if phone.strip() else set()
    found = contact_q(email=email, phones=phones)
    return customers_visible_to(user).filter(found).select_related("home_location")


@dataclass(frozen=True)
class CustomerHistory:
    """A customer's incidents as one reader may see them."""

    cases: list[Case]  # at the reader's locations, newest first (at most `limit`)
    count: int  # all of those, however many the list shows
    elsewhere: int  # at locations the reader does not work at: a number, nothing more


def customer_history(
    customer: Customer, user: User, *, exclude_pk: int | None = None, limit: int = 20
) -> CustomerHistory:
    """A customer's incidents for their page and beside a case. Staff see the cases their
    locations hold; of the others (their references, amounts, remedies) only how many."""
    cases = customer.cases.all() if exclude_pk is None else customer.cases.exclude(pk=exclude_pk)
    location_ids = location_ids_of(user)
    if location_ids is None:
        visible, here, total = cases, cases.count(), None
    else:
        visible = cases.filter(location_id__in=location_ids)
        counts = cases.aggregate(here=Count("id", filter=Q(location_id__in=location_ids)), total=Count("id"))
        here, total = counts["here"], counts["total"]
    listed = list(visible.select_related("location").order_by("-created_at", "-id")[:limit])
    return CustomerHistory(listed, here, (total or here) - here)


# Headings a person reads in a spreadsheet, in their language (the audit trail's export keeps its own in English).
CSV_HEADER = [
    _("Reference"), _("Logged"), _("Location"), _("Channel"), _("Category"), _("Severity"), _("State"),
    _("Outcome"), _("First contact due"), _("First contact"), _("Closed"), _("Assignee"),
    _("What they paid for it"), _("What they lost"), _("Hidden costs"), _("Overcharged"),
]  # fmt: skip


def cases_csv_rows(cases: QuerySet[Case]) -> Iterator[list[object]]:
    """The rows of a case export, read in chunks. No customer's name or address: a list of
    cases leaves the building more easily than a page does."""

    def local(moment: datetime | None) -> str:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    for case in cases.select_related("location", "assignee").iterator(chunk_size=2000):
        yield [
            case.reference,
            local(case.created_at),
            case.location.name,
            case.get_channel_display(),
            case.get_category_display(),
            case.get_severity_display(),
            case.get_state_display(),
            case.get_outcome_display(),
            local(case.sla_due_at),
            local(case.first_contact_at),
            local(case.closed_at),
            str(case.assignee or ""),
            case.order_value,
            case.get_lost_display(),
            case.hidden_costs,
            case.overcharge,
        ]
