"""The case list's filters (django-filter): what the list can be narrowed by. The filters that
arrive in a dashboard's link (the cases behind a figure) are added on the top floor
(desk/filters.py), which may read the dashboard."""

from datetime import datetime, time, timedelta
from typing import cast

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from accounts.roles import location_ids_of, locations_of, staff_at
from core import forms as core_forms
from core.i18n import StrOrPromise

from .models import SEVERITY_CHOICES, STATE_CHOICES, Case, Category
from .selectors import ACTIVE_VALUES, case_search, overdue_q

ACTIVE = "active"
ME = "me"
NOBODY = "none"

SORTS = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "due": ("sla_due_at", "id"),
}


def local_midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class DateFilter(django_filters.DateFilter):
    field_class = core_forms.DateField


class IdFilter(django_filters.NumberFilter):
    field_class = core_forms.IdField  # type: ignore[assignment]  # an id: whole numbers, not decimals


class _ModelChoiceField(core_forms.ModelChoiceField, django_filters.fields.ModelChoiceField):
    """django-filter's choice of a row, with the id in ASCII digits."""


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _ModelChoiceField


def hidden_choice(label: StrOrPromise, choices, method: str) -> django_filters.ChoiceFilter:
    """A filter that arrives in a link (a figure's cases), not a choice on the form."""
    return django_filters.ChoiceFilter(
        label=label, choices=choices, method=method, empty_label=_("Any"), widget=forms.HiddenInput
    )


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_search",
        widget=forms.TextInput(attrs={"placeholder": _("Reference, customer, words…"), "type": "search"}),
    )
    state = django_filters.ChoiceFilter(
        choices=[(ACTIVE, _("Not closed")), *STATE_CHOICES], method="filter_state", empty_label=_("Any state")
    )
    category = django_filters.ChoiceFilter(choices=Category.choices, empty_label=_("Any category"))
    severity = django_filters.ChoiceFilter(choices=SEVERITY_CHOICES, empty_label=_("Any severity"))
    location = ModelChoiceFilter(queryset=Location.objects.none(), empty_label=_("Any location"))
    assignee = django_filters.ChoiceFilter(method="filter_assignee", empty_label=_("Anyone"))
    overdue = django_filters.BooleanFilter(method="filter_overdue", label=_("Overdue only"), widget=forms.CheckboxInput)
    created_from = DateFilter(
        method="filter_created_from", label=_("Logged from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    created_to = DateFilter(
        method="filter_created_to", label=_("Logged to"), widget=forms.DateInput(attrs={"type": "date"})
    )
    customer = IdFilter(field_name="customer_id", widget=forms.HiddenInput)
    sort = django_filters.ChoiceFilter(
        label=_("Sort"),
        method="filter_sort",
        empty_label=None,
        choices=[("newest", _("Newest first")), ("oldest", _("Oldest first")), ("due", _("First contact due"))],
    )

    class Meta:
        model = Case
        fields = ["q", "state", "category", "severity", "location", "assignee", "overdue"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        cast(django_filters.ModelChoiceFilter, self.filters["location"]).queryset = locations_of(user)
        self.filters["assignee"].extra["choices"] = [
            (ME, gettext("Me")),
            (NOBODY, gettext("Nobody")),
            *[(str(person.pk), str(person)) for person in staff_at(location_ids_of(user))],
        ]

    @property
    def qs(self):
        # Sorting applies even when the form leaves `sort` out.
        cases = super().qs
        if not (self.form.is_bound and self.form.is_valid() and self.form.cleaned_data.get("sort")):
            cases = cases.order_by(*SORTS["newest"])
        return cases

    def filter_search(self, cases, name, value):
        return case_search(cases, value)

    def filter_state(self, cases, name, value):
        if value == ACTIVE:
            return cases.filter(state__in=ACTIVE_VALUES)
        return cases.filter(state=value)

    def filter_assignee(self, cases, name, value):
        if value == ME:
            return cases.filter(assignee=self.user)
        if value == NOBODY:
            return cases.filter(assignee__isnull=True)
        return cases.filter(assignee_id=int(value))

    def filter_overdue(self, cases, name, value):
        return cases.filter(overdue_q()) if value else cases

    def filter_created_from(self, cases, name, value):
        return cases.filter(created_at__gte=local_midnight(value))

    def filter_created_to(self, cases, name, value):
        return cases.filter(created_at__lt=local_midnight(value + timedelta(days=1)))

    def filter_sort(self, cases, name, value):
        return cases.order_by(*SORTS.get(value, SORTS["newest"]))
