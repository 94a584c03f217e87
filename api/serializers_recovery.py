"""The recovery side's shapes over the API: suggestions with their evidence, proposals with their
remedies (lines), and the inputs that create, decide and deliver them. Shapes only: the page's
forms and recovery's services say what the business allows."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from recovery.evidence import Comparison, Evidence
from recovery.forms import EDITABLE_KINDS
from recovery.models import REMEDY_CHOICES, ROLE_CHOICES, Proposal, ProposalLine

from .fields import ActorRef, AwareDateTime, Money, blank_or

RANK_OR_LINES = _("Send either rank (a suggestion as it stands) or lines (remedies of your own), not both.")
LINES_FOR_AMEND = _("An amendment takes the remedies it approves instead: send lines.")

# ---------------------------------------------------------------------------
# Out
# ---------------------------------------------------------------------------


class EstimateOut(serializers.Serializer):
    """A rate of customers who came back (0-1), its 95% interval, and how many cases it is from."""

    rate = serializers.FloatField()
    low = serializers.FloatField()
    high = serializers.FloatField()
    n = serializers.IntegerField()
    percent = serializers.IntegerField()


class ComparisonOut(serializers.Serializer):
    phrase = serializers.SerializerMethodField()
    sentence = serializers.SerializerMethodField(help_text=_("The comparison in words, as the page says it."))
    given = EstimateOut(help_text=_("Customers given it."))
    others = EstimateOut(allow_null=True, help_text=_("Those not given it; null: too few to say."))

    def get_phrase(self, comparison: Comparison) -> str:
        return gettext(comparison.phrase)

    def get_sentence(self, comparison: Comparison) -> str:
        return comparison.sentence_in(gettext)


class EvidenceOut(serializers.Serializer):
    """What similar cases (same category and severity, the last months, the reader's locations)
    say about these remedies."""

    heading = serializers.SerializerMethodField()
    similar = serializers.IntegerField(help_text=_("Similar cases closed retained or lost."))
    months = serializers.IntegerField()
    comparisons = ComparisonOut(many=True, help_text=_("Only those with enough cases to say something."))

    def get_heading(self, evidence: Evidence) -> str:
        return evidence.heading_in(gettext)


class SuggestedLineOut(serializers.Serializer):
    kind = serializers.ChoiceField(choices=REMEDY_CHOICES, source="kind.value")
    face_value = Money(help_text=_("What the customer gets (a percentage discount: its estimated worth)."))
    cost = Money(help_text=_("What it costs the business."))
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    reason = serializers.CharField()


class RejectionOut(serializers.Serializer):
    id = serializers.IntegerField()
    decided_by = ActorRef(allow_null=True)
    decided_at = AwareDateTime(allow_null=True)
    decision_reason = serializers.CharField()


class SuggestionOut(serializers.Serializer):
    """One ranked option, as the case page's card shows it: take it with `{"rank": n}`."""

    rank = serializers.IntegerField(source="option.rank")
    title = serializers.CharField(source="option.title")
    lines = SuggestedLineOut(source="option.lines", many=True)
    compensation = Money(source="option.compensation", help_text=_("What counts against caps and budgets."))
    face_value = Money(source="option.face_value")
    cost = Money(source="option.cost")
    needs_approval = serializers.BooleanField(source="option.needs_approval")
    approver = serializers.SerializerMethodField(help_text=_("Who must approve it (Manager, Owner); null: nobody."))
    approval_reason = serializers.CharField(source="option.approval_reason")
    words = serializers.CharField(source="option.words", help_text=_("What to say to the customer, in their language."))
    policy_version = serializers.IntegerField(source="option.policy_version")
    evidence = EvidenceOut()
    rejected = RejectionOut(allow_null=True, help_text=_("The same remedies' earlier rejection, if there was one."))

    def get_approver(self, card) -> str | None:
        return card.option.approver.value if card.option.approver else None


class SuggestionsOut(serializers.Serializer):
    next = serializers.CharField(allow_null=True, help_text=_("Always null: two or three options, on one page."))
    results = SuggestionOut(many=True)


class CaseRef(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)


class LineOut(serializers.ModelSerializer):
    """A remedy of a proposal, and how it reached the customer (deliver it by its id)."""

    face_value = Money(read_only=True)
    cost = Money(read_only=True)
    delivered_at = AwareDateTime(read_only=True, allow_null=True)
    delivered_by = ActorRef(read_only=True, allow_null=True)

    class Meta:
        model = ProposalLine
        fields = [
            "id", "kind", "face_value", "cost", "percent", "reason", "delivered_at", "delivered_by",
            "delivery_reference",
        ]  # fmt: skip
        read_only_fields = fields


class ProposalOut(serializers.ModelSerializer):
    case = CaseRef(read_only=True)
    lines = LineOut(many=True, read_only=True)
    compensation = Money(read_only=True)
    face_value = Money(read_only=True)
    cost = Money(read_only=True)
    proposed_by = ActorRef(read_only=True)
    proposed_at = AwareDateTime(read_only=True)
    decided_by = ActorRef(read_only=True, allow_null=True)
    decided_at = AwareDateTime(read_only=True, allow_null=True)
    deliver_by = AwareDateTime(
        read_only=True, allow_null=True, help_text=_("When an approved remedy is due to reach the customer.")
    )
    revision = serializers.IntegerField(
        read_only=True, help_text=_("Send it back to decide or amend: if the proposal changed since, a 409.")
    )
    evidence = serializers.SerializerMethodField()
    approver_role = blank_or(ROLE_CHOICES, _("Who must decide it; empty when it was granted on the spot."))

    class Meta:
        model = Proposal
        fields = [
            "id", "case", "title", "state", "suggested_rank", "lines", "compensation", "face_value", "cost",
            "below_floor_reason", "approver_role", "approval_reason", "proposed_by", "proposed_at", "decided_by",
            "decided_at", "decision_reason", "deliver_by", "revision", "evidence",
        ]  # fmt: skip
        read_only_fields = fields

    @extend_schema_field(EvidenceOut(allow_null=True))
    def get_evidence(self, proposal: Proposal) -> dict | None:
        """What similar cases said of these remedies when they were proposed (null before it was kept)."""
        evidence = Evidence.from_json(proposal.evidence)
        return EvidenceOut(evidence).data if evidence is not None else None


# ---------------------------------------------------------------------------
# In
# ---------------------------------------------------------------------------


class LineIn(serializers.Serializer):
    """A remedy to offer (the apology is always part of it, unasked)."""

    kind = serializers.ChoiceField(choices=EDITABLE_KINDS)
    face_value = Money(required=False, allow_null=True, help_text=_("Empty for a remedy that is not money."))
    percent = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text=_("Or a discount in %."),
    )
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ProposalCreateIn(serializers.Serializer):
    """Take a suggestion as it stands (`rank`), or offer remedies of your own (`lines`)."""

    rank = serializers.IntegerField(min_value=1, max_value=3, required=False, help_text=_("A suggestion's rank."))
    lines = LineIn(many=True, required=False, max_length=8)
    title = serializers.CharField(max_length=120, required=False, help_text=_("With lines: what it is called."))
    below_floor_reason = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("Why less than suggested, if it is."),
    )

    def validate(self, attrs):
        if ("rank" in attrs) == ("lines" in attrs):
            raise serializers.ValidationError(RANK_OR_LINES)
        return attrs


class DecisionIn(serializers.Serializer):
    decision = serializers.ChoiceField(choices=["approve", "reject", "amend"])
    reason = serializers.CharField(
        max_length=500, required=False, allow_blank=True, help_text=_("Needed to reject or amend.")
    )
    revision = serializers.IntegerField(
        min_value=0, max_value=2**31 - 1, help_text=_("The proposal's revision as you read it.")
    )
    lines = LineIn(many=True, required=False, max_length=8, help_text=_("To amend: the remedies approved instead."))

    def validate(self, attrs):
        if attrs["decision"] == "amend" and not attrs.get("lines"):
            raise serializers.ValidationError({"lines": [LINES_FOR_AMEND]})
        return attrs


class DeliveryIn(serializers.Serializer):
    reference = serializers.CharField(
        max_length=200, required=False, allow_blank=True, help_text=_("Refund reference, gift card code, who called…")
    )
