"""Reading customers, always scoped to the locations the reader works at."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.locations import phone_regions
from accounts.models import User
from accounts.roles import location_ids_of
from cases.models import Case

from .contact import normalise_email, phone_readings, phone_search_digits
from .models import Customer


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
    exact = Q(email=normalise_email(text)) | Q(phone__in=phones)
    seen = {customer.pk for customer in found}
    found += [c for c in Customer.objects.filter(exact)[:2] if c.pk not in seen]
    return found[:limit]
