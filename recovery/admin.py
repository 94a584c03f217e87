from django.contrib import admin

from .models import LedgerEntry, PolicyVersion, Proposal, ProposalLine


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    """Read-only: a policy changes by a new version from the policy page, never by editing one."""

    list_display = ["__str__", "created_at", "created_by", "generosity", "frontline_limit", "manager_limit", "note"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ProposalLineInline(admin.TabularInline):
    model = ProposalLine
    extra = 0
    fields = ["kind", "face_value", "cost", "reason", "delivered_at", "delivered_by", "delivery_reference"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):
    list_display = ["case", "title", "state", "compensation", "cost", "proposed_by", "decided_by", "proposed_at"]
    list_filter = ["state", "approver_role"]
    list_select_related = ["case", "proposed_by", "decided_by"]
    raw_id_fields = ["case", "proposed_by", "decided_by"]
    readonly_fields = ["policy", "submission_token", "revision"]
    inlines = [ProposalLineInline]
    show_full_result_count = False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "location", "entry", "kind", "amount", "cost", "is_compensation"]
    list_filter = ["entry", "kind", "location"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_change_permission(self, request, obj=None):
        return False  # append-only
