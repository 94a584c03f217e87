"""Reading the audit trail: the whole event log, for owners, narrowed by what, who, where
and when. The same filters serve the page and its CSV export."""

import json
from collections.abc import Iterator
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import Location, User
from accounts.roles import location_ids_of
from core import forms as core_forms

from .events import Kind
from .filters import DateFilter, ModelChoiceFilter, local_midnight
from .models import Event, parse_reference

# What an owner asks about, as the first part of the kinds' names says it.
TOPICS = [
    ("case", _("Cases")),
    ("proposal", _("Proposals and decisions")),
    ("remedy", _("Remedies delivered")),
    ("followup", _("Follow-ups")),
    ("corrective_action", _("Corrective actions")),
    ("customer", _("Customers")),
    ("policy", _("The policy")),
    ("message_wording", _("Messages' wording")),
    ("saved_reply", _("Saved replies")),
    ("message", _("Messages written to customers")),
    ("user", _("Users, roles and limits")),
    ("location", _("Locations and budgets")),
    ("api_token", _("API tokens")),
    ("webhook_endpoint", _("Webhook endpoints")),
]


class AuditFilter(django_filters.FilterSet):
    topic = django_filters.ChoiceFilter(
        label=_("About"), choices=TOPICS, method="filter_topic", empty_label=_("Anything")
    )
    kind = django_filters.ChoiceFilter(label=_("What happened"), choices=Kind.choices, empty_label=_("Any"))
    actor = ModelChoiceFilter(label=_("Who"), queryset=User.objects.all(), empty_label=_("Anyone"))
    location = ModelChoiceFilter(label=_("Location"), queryset=Location.objects.all(), empty_label=_("Any"))
    since = DateFilter(label=_("From"), method="filter_since", widget=forms.DateInput(attrs={"type": "date"}))
    until = DateFilter(label=_("To"), method="filter_until", widget=forms.DateInput(attrs={"type": "date"}))
    q = django_filters.CharFilter(
        label=_("Case or subject"),
        method="filter_subject",
        max_length=core_forms.MAX_TEXT,
        widget=forms.TextInput(attrs={"placeholder": "SR-000123, user:12…", "type": "search"}),
    )

    class Meta:
        model = Event
        fields = ["topic", "kind", "actor", "location", "since", "until", "q"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(kind__startswith=f"{value}.")

    def filter_since(self, queryset, name, value):
        return queryset.filter(created_at__gte=local_midnight(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(created_at__lt=local_midnight(value + timedelta(days=1)))

    def filter_subject(self, queryset, name, value):
        value = value.strip()
        reference = parse_reference(value)
        if reference is not None:
            return queryset.filter(Q(case_id=reference) | Q(subject=value))
        return queryset.filter(subject=value)


def audit_entries(params, reader: User) -> AuditFilter:
    """The filtered log, newest first. Only owners read it (the view checks the permission):
    a person who owns the business, every entry; an integration acting as an owner, its own
    location's (accounts.roles.location_ids_of)."""
    queryset: QuerySet[Event] = Event.objects.select_related("actor", "location", "case").order_by("-created_at", "-id")
    location_ids = location_ids_of(reader)
    if location_ids is not None:
        queryset = queryset.filter(location_id__in=location_ids)
    return AuditFilter(params, queryset=queryset)


# Column names a machine reads (an import, a script), the same in every language.
CSV_HEADER = ["When", "What", "Kind", "Case", "Subject", "Location", "Who", "From address", "Note", "Change"]


def audit_rows(queryset: QuerySet[Event]) -> Iterator[list]:
    """The entries as CSV rows, read in chunks (an export of a year is large)."""
    for event in queryset.iterator(chunk_size=2000):
        yield [
            event.created_at.isoformat(),
            event.get_kind_display(),
            event.kind,
            event.case.reference if event.case else "",
            event.subject,
            event.location.name if event.location else "",
            str(event.actor) if event.actor else "",
            event.ip or "",
            event.note,
            json.dumps(event.payload, ensure_ascii=False, sort_keys=True),
        ]
