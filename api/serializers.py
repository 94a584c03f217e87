"""What the API's resources look like, in and out. The shapes only: what a value must be (a
number, a time with its offset, one of these choices). What the business allows is checked
where the pages check it: by the page's own form (the same messages) and the service."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import LOST_CHOICES, OUTCOME_CHOICES, SEVERITY_CHOICES, STATE_CHOICES, Case, Category, Channel, Event
from cases.selectors import ACTIVE_VALUES
from cases.services import TIME_LOST_MAX_MINUTES
from core.forms import MAX_TEXT
from customers.contact import PHONE_MAX_TYPED
from customers.models import ContactChannel, Customer

from .fields import ActorRef, AwareDateTime, Id, LocationRef, Money, Named, blank_or, given

# ---------------------------------------------------------------------------
# Customers
# ---------------------------------------------------------------------------


class CustomerOut(serializers.ModelSerializer):
    home_location = LocationRef(read_only=True)
    # Empty for a customer known by phone only, and for an anonymised one: not an email's format.
    email = serializers.CharField(read_only=True, help_text=_("Their email address; empty if none."))
    yearly_value = Money(allow_null=True, read_only=True)
    created_at = AwareDateTime(read_only=True)
    anonymised = serializers.SerializerMethodField()

    class Meta:
        model = Customer
        fields = [
            "id", "name", "email", "phone", "preferred_channel", "contact_consent", "language", "yearly_value",
            "customer_since", "notes", "home_location", "created_at", "anonymised",
        ]  # fmt: skip
        read_only_fields = fields

    def get_anonymised(self, customer: Customer) -> bool:
        return customer.anonymised_at is not None


class CustomerIn(serializers.Serializer):
    """A customer's details; on an update (PATCH) only the fields sent change."""

    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=PHONE_MAX_TYPED, required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(choices=ContactChannel.choices, required=False)
    contact_consent = serializers.BooleanField(required=False)
    language = serializers.CharField(max_length=10, required=False, allow_blank=True)
    yearly_value = Money(required=False, allow_null=True)
    customer_since = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)


class CustomerCreateIn(CustomerIn):
    preferred_channel = serializers.ChoiceField(choices=ContactChannel.choices, default=ContactChannel.EMAIL)
    contact_consent = serializers.BooleanField(default=False)
    home_location = Id(
        required=False,
        help_text=_("Where the customer is first recorded; an integration token's location if left out."),
    )


class CustomerExportOut(serializers.Serializer):
    """Everything held about a customer: the document's format is docs/privacy.md (its version in
    `schema_version`); money as strings in `currency`, times in ISO 8601."""

    schema = serializers.CharField(read_only=True, help_text=_("Always amends.customer-export."))
    schema_version = serializers.IntegerField(read_only=True)
    exported_at = serializers.CharField(read_only=True)
    currency = serializers.CharField(read_only=True)
    customer = serializers.DictField(read_only=True, help_text=_("Their details as held."))
    cases = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text=_(
            "Each case with its money and texts, proposals and remedies, messages and follow-ups to the customer, "
            "satisfaction answer, attachments (metadata), emails they sent and timeline."
        ),
    )
    emails_on_no_case = serializers.ListField(child=serializers.DictField(), read_only=True)


class CustomerQuery(serializers.Serializer):
    # Empty is the same as left out (as a query string's `?phone=` reads): every customer.
    email = serializers.CharField(
        max_length=254, required=False, allow_blank=True, help_text=_("Exact, compared normalised.")
    )
    phone = serializers.CharField(
        max_length=PHONE_MAX_TYPED,
        required=False,
        allow_blank=True,
        help_text=_("As typed: read as the web app reads it (E.164)."),
    )


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------


class EventOut(serializers.ModelSerializer):
    """One line of a case's timeline (the event log): its public kind and what changed."""

    actor = ActorRef(read_only=True, allow_null=True, help_text=_("Who did it; null: the system or the customer."))
    from_state = blank_or(STATE_CHOICES, _("The state before; empty when the entry changed none."))
    to_state = blank_or(STATE_CHOICES, _("The state after; empty when the entry changed none."))
    created_at = AwareDateTime(read_only=True)
    payload = serializers.DictField(read_only=True)

    class Meta:
        model = Event
        fields = ["id", "kind", "created_at", "actor", "note", "from_state", "to_state", "payload"]
        read_only_fields = fields


class CaseOut(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    location = LocationRef(read_only=True)
    customer = Named(read_only=True)
    assignee = Named(read_only=True, allow_null=True)
    order_value = Money(read_only=True)
    hidden_costs = Money(read_only=True)
    overcharge = Money(read_only=True)
    occurred_at = AwareDateTime(read_only=True)
    created_at = AwareDateTime(read_only=True)
    updated_at = AwareDateTime(read_only=True)
    sla_due_at = AwareDateTime(read_only=True)
    first_contact_at = AwareDateTime(read_only=True, allow_null=True)
    closed_at = AwareDateTime(read_only=True, allow_null=True)
    promised_callback_at = AwareDateTime(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    outcome = blank_or(OUTCOME_CHOICES, _("Empty until the case is closed."))

    class Meta:
        model = Case
        fields = [
            "id", "reference", "location", "customer", "channel", "category", "description", "state", "outcome",
            "severity", "suggested_severity", "severity_override_reason", "occurred_at", "created_at", "updated_at",
            "sla_due_at", "first_contact_at", "closed_at", "overdue", "promised_callback_at", "assignee",
            "order_value", "lost", "hidden_costs", "hidden_costs_description", "overcharge", "time_lost_minutes",
            "occasion_mattered", "treated_poorly", "fixed_on_spot", "repeat_incident",
        ]  # fmt: skip
        read_only_fields = fields

    def get_overdue(self, case: Case) -> bool:
        """No first contact yet and its deadline passed (as the list's overdue filter says)."""
        return case.first_contact_at is None and case.state in ACTIVE_VALUES and case.sla_due_at < timezone.now()


class CaseQuery(serializers.Serializer):
    """What the schema says of the list's filters that the page's filter reads more loosely (it
    reads a form, where an empty field is one left out, and a ticked checkbox any value but
    `false`). Read from a plain dict, so that an empty value is refused, not skipped: a typed
    filter, if given, has a value; `overdue` is a boolean (true/false, 1/0, yes/no). What each
    value may be is still the page's filter's to say."""

    overdue = serializers.BooleanField(required=False)
    state = given()
    category = given()
    severity = given()
    location = given()
    customer = given()
    created_from = given()
    created_to = given()
    sort = given()


class CaseDetailOut(CaseOut):
    timeline = EventOut(source="events", many=True, read_only=True)

    class Meta(CaseOut.Meta):
        fields = [*CaseOut.Meta.fields, "timeline"]
        read_only_fields = fields


class NewCustomerIn(serializers.Serializer):
    name = serializers.CharField(max_length=150)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=PHONE_MAX_TYPED, required=False, allow_blank=True)
    preferred_channel = serializers.ChoiceField(choices=ContactChannel.choices, default=ContactChannel.EMAIL)
    contact_consent = serializers.BooleanField(default=False)


class CaseCreateIn(serializers.Serializer):
    """An incident, as the new-case page takes it: the customer (`customer`, an id) or a new one
    (`new_customer`), the facts, and optionally whom it goes to and a different severity."""

    customer = Id(required=False, allow_null=True, help_text=_("A customer on file (find them by email or phone)."))
    new_customer = NewCustomerIn(required=False, allow_null=True, help_text=_("Or a new customer."))
    location = Id(required=False, help_text=_("An integration token's location if left out."))
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.IN_PERSON)
    category = serializers.ChoiceField(choices=Category.choices)
    description = serializers.CharField(max_length=MAX_TEXT)
    occurred_at = AwareDateTime(required=False, help_text=_("When it happened; now if left out."))
    order_value = Money(required=False, allow_null=True, help_text=_("What they paid (not for a billing error)."))
    lost = serializers.ChoiceField(choices=LOST_CHOICES, required=False, allow_blank=True)
    hidden_costs = Money(required=False, allow_null=True)
    hidden_costs_description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    overcharge = Money(required=False, allow_null=True, help_text=_("A billing error: what was wrongly taken."))
    time_lost_minutes = serializers.IntegerField(
        min_value=0, max_value=TIME_LOST_MAX_MINUTES, required=False, allow_null=True
    )
    occasion_mattered = serializers.BooleanField(default=False)
    treated_poorly = serializers.BooleanField(default=False)
    fixed_on_spot = serializers.BooleanField(default=False)
    promised_callback_at = AwareDateTime(required=False, allow_null=True)
    assignee = Id(required=False, allow_null=True, help_text=_("Staff at the case's location; nobody if left out."))
    severity = serializers.ChoiceField(choices=SEVERITY_CHOICES, required=False, allow_blank=True)
    severity_override_reason = serializers.CharField(max_length=300, required=False, allow_blank=True)


class TransitionIn(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=STATE_CHOICES)
    outcome = serializers.ChoiceField(choices=OUTCOME_CHOICES, required=False, allow_blank=True)
    note = serializers.CharField(max_length=MAX_TEXT, required=False, allow_blank=True)
    expected_state = serializers.ChoiceField(
        choices=STATE_CHOICES,
        required=False,
        help_text=_("The state you last saw: if the case has moved since, the transition is refused (422)."),
    )


class NoteIn(serializers.Serializer):
    note = serializers.CharField(max_length=MAX_TEXT, allow_blank=True)


class AssignIn(serializers.Serializer):
    assignee = Id(allow_null=True, help_text=_("Staff at the case's location, or null for nobody."))
