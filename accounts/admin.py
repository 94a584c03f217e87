from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Location, User


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_active", "monthly_budget"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Amends", {"fields": ["locations", "authority_limit"]}),)
    filter_horizontal = ["groups", "user_permissions", "locations"]
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = ["groups", "locations", "is_active"]
