"""The shapes of what follows a case over the API: follow-ups, corrective actions and the audit
log. Shapes only: the pages' forms and the services say what the business allows."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import STATE_CHOICES, Event
from core.forms import MAX_TEXT
from corrective.models import CorrectiveAction
from followups.models import FollowUp

from .fields import ActorRef, AwareDateTime, Id, LocationRef, Named, blank_or, given
from .serializers_recovery import CaseRef

# ---------------------------------------------------------------------------
# Follow-ups
# ---------------------------------------------------------------------------


class FollowUpOut(serializers.ModelSerializer):
    case = CaseRef(read_only=True)
    recipient = Named(read_only=True, allow_null=True, help_text=_("Staff; null: the customer or managers."))
    due_at = AwareDateTime(read_only=True)
    sent_at = AwareDateTime(read_only=True, allow_null=True)
    done_at = AwareDateTime(read_only=True, allow_null=True)
    done_by = ActorRef(read_only=True, allow_null=True)
    created_at = AwareDateTime(read_only=True)

    class Meta:
        model = FollowUp
        fields = [
            "id", "case", "kind", "purpose", "channel", "recipient", "subject", "body", "due_at", "state", "sent_at",
            "last_error", "done_at", "done_by", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


# ---------------------------------------------------------------------------
# Corrective actions
# ---------------------------------------------------------------------------


class CorrectiveActionOut(serializers.ModelSerializer):
    location = LocationRef(read_only=True, allow_null=True, help_text=_("Null: business-wide."))
    owner = Named(read_only=True, help_text=_("Who is responsible."))
    due_date = serializers.DateField(read_only=True)
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)
    created_at = AwareDateTime(read_only=True)
    done_at = AwareDateTime(read_only=True, allow_null=True)

    class Meta:
        model = CorrectiveAction
        fields = ["id", "title", "kind", "state", "location", "owner", "due_date", "overdue", "created_at", "done_at"]
        read_only_fields = fields


class CorrectiveActionListOut(CorrectiveActionOut):
    case_count = serializers.IntegerField(read_only=True, help_text=_("Cases linked, at every location."))

    class Meta(CorrectiveActionOut.Meta):
        fields = [*CorrectiveActionOut.Meta.fields, "case_count"]
        read_only_fields = fields


class CommunicationOut(serializers.Serializer):
    label = serializers.CharField(help_text=_("How the customer heard (or will hear) of the fix, in words."))
    when = AwareDateTime(allow_null=True)


class LinkedCaseOut(serializers.Serializer):
    case = CaseRef(source="link.case")
    linked_at = AwareDateTime(source="link.linked_at")
    linked_by = ActorRef(source="link.linked_by")
    communication = CommunicationOut(source="status")


class CorrectiveActionDetailOut(CorrectiveActionOut):
    """An action with what changes, what the customers are told, and its linked cases this token
    may see (with how each customer heard); those elsewhere are only counted."""

    created_by = ActorRef(read_only=True)
    done_by = ActorRef(read_only=True, allow_null=True)
    cases = serializers.SerializerMethodField()
    cases_elsewhere = serializers.SerializerMethodField()
    to_tell = serializers.SerializerMethodField()

    class Meta(CorrectiveActionOut.Meta):
        fields = [
            *CorrectiveActionOut.Meta.fields, "description", "customer_message", "created_by", "done_by", "cases",
            "cases_elsewhere", "to_tell",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(LinkedCaseOut(many=True))
    def get_cases(self, action: CorrectiveAction) -> list:
        return LinkedCaseOut(self.context["linked"].rows, many=True).data

    def get_cases_elsewhere(self, action: CorrectiveAction) -> int:
        """Linked cases at locations this token does not reach."""
        return self.context["linked"].elsewhere

    def get_to_tell(self, action: CorrectiveAction) -> int:
        """Customers told what changed when the action is done (every location)."""
        return self.context["linked"].to_tell


class CorrectiveActionIn(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=CorrectiveAction.Kind.choices)
    description = serializers.CharField(max_length=MAX_TEXT, help_text=_("What changes (for staff)."))
    location = Id(
        required=False, allow_null=True, help_text=_("Where the change applies; null or left out: business-wide.")
    )
    owner = Id(help_text=_("Who is responsible: a manager at the location, or an owner."))
    due_date = serializers.DateField()
    customer_message = serializers.CharField(
        max_length=MAX_TEXT,
        required=False,
        allow_blank=True,
        help_text=_("What the customers are told when done."),
    )
    case = Id(required=False, allow_null=True, help_text=_("The case it starts from (more can be linked later)."))


class LinkCaseIn(serializers.Serializer):
    case = Id(help_text=_("A case at the action's location (any, for a business-wide action)."))


class CompleteIn(serializers.Serializer):
    message = serializers.CharField(
        max_length=MAX_TEXT, help_text=_("What the customers are told: what is different now.")
    )


# ---------------------------------------------------------------------------
# The audit log
# ---------------------------------------------------------------------------


class CorrectiveQuery(serializers.Serializer):
    """The corrective actions list's filters as the schema types them (api.serializers.CaseQuery
    says why): `overdue` a boolean, `state` a value if given."""

    overdue = serializers.BooleanField(required=False)
    state = given()


class AuditQuery(serializers.Serializer):
    """The audit log's typed filters: each, if given, has a value."""

    topic = given()
    kind = given()
    actor = given()
    location = given()
    since = given()
    until = given()


class AuditEntryOut(serializers.ModelSerializer):
    """One entry of the event log: what happened, to which case or subject, where, by whom."""

    created_at = AwareDateTime(read_only=True)
    actor = ActorRef(read_only=True, allow_null=True, help_text=_("Null: the system or the customer."))
    case = CaseRef(read_only=True, allow_null=True)
    location = LocationRef(read_only=True, allow_null=True)
    payload = serializers.DictField(read_only=True)
    from_state = blank_or(STATE_CHOICES, _("The case's state before; empty when the entry changed none."))
    to_state = blank_or(STATE_CHOICES, _("The case's state after; empty when the entry changed none."))

    class Meta:
        model = Event
        fields = [
            "id", "kind", "created_at", "actor", "case", "subject", "location", "ip", "note", "from_state", "to_state",
            "payload",
        ]  # fmt: skip
        read_only_fields = fields
