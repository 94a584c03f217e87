from django.contrib import admin

from .models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "phone", "home_location", "yearly_value", "contact_consent"]
    list_filter = ["home_location", "preferred_channel", "contact_consent"]
    search_fields = ["name", "email", "phone"]
    list_select_related = ["home_location"]
    raw_id_fields = ["created_by"]
    show_full_result_count = False
