from django.contrib import admin, messages
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from accounts.backoffice import ReadOnlyAdmin
from accounts.roles import Role, role_of
from cases.selectors import customers_visible_to
from customers.models import Customer
from privacy.services import customer_anonymise


@admin.register(Customer)
class CustomerAdmin(ReadOnlyAdmin):
    """Details are edited on the customer's page (customer_update checks them and finds
    duplicates); the back office keeps the owner's anonymise action, a top-floor service,
    which is why the customer's admin is registered here."""

    list_display = ["name", "email", "phone", "home_location", "yearly_value", "contact_consent", "anonymised_at"]
    list_filter = [("home_location", admin.RelatedOnlyFieldListFilter), "preferred_channel", "contact_consent"]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["home_location"]
    raw_id_fields = ["created_by"]
    actions = ["anonymise"]

    def visible_to(self, queryset, user):
        return queryset & customers_visible_to(user)

    @admin.action(description=_("Anonymise the selected customers (cannot be undone)"), permissions=["anonymise"])
    def anonymise(self, request, queryset: QuerySet[Customer]) -> None:
        done = 0
        for customer in queryset.filter(anonymised_at__isnull=True):
            customer_anonymise(customer=customer, actor=request.user)
            done += 1
        said = ngettext("%(count)d customer(s) anonymised.", "%(count)d customer(s) anonymised.", done) % {
            "count": done
        }
        self.message_user(request, said, messages.SUCCESS)

    def has_anonymise_permission(self, request) -> bool:
        # Removing a customer's details for good is the owner's call (the customer's page offers it too).
        return role_of(request.user) is Role.OWNER and request.user.has_perm("customers.erase_customer")
