from django.contrib import admin

from accounts.backoffice import ReadOnlyAdmin, ReadOnlyInline

from .models import LedgerEntry, PolicyVersion, Proposal, ProposalLine


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    """A policy changes by a new version from the policy page, never by editing one. It is the
    whole business's, so it is not scoped."""

    list_display = ["__str__", "created_at", "created_by", "generosity", "frontline_limit", "manager_limit", "note"]

    def visible_to(self, queryset, user):
        return queryset


LINE_FIELDS = ("kind", "face_value", "cost", "reason", "delivered_at", "delivered_by", "delivery_reference")


class ProposalLineInline(ReadOnlyInline):
    model = ProposalLine
    location_path = "proposal__case__location"
    fields = readonly_fields = LINE_FIELDS


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    """Proposals, their decisions and their lines change through the recovery services only
    (proposal_create, proposal_decide, proposal_amend, remedy_deliver), which check authority,
    the case cap and the budget and write the ledger and the timeline."""

    location_path = "case__location"
    list_display = ["case", "title", "state", "compensation", "cost", "proposed_by", "decided_by", "proposed_at"]
    list_filter = ["state", "approver_role"]
    list_select_related = ["case", "proposed_by", "decided_by"]
    raw_id_fields = ["case", "proposed_by", "decided_by"]
    inlines = [ProposalLineInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Append-only, written by the recovery services."""

    location_path = "location"
    list_display = ["created_at", "location", "entry", "kind", "amount", "cost", "is_compensation"]
    list_filter = ["entry", "kind", ("location", admin.RelatedOnlyFieldListFilter)]
    date_hierarchy = "created_at"
