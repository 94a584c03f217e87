from django.contrib.auth.models import AbstractUser
from django.db import models


class Location(models.Model):
    """A branch of the business: where incidents happen and staff work."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=20, unique=True, help_text="Short code, e.g. LDN-SOHO.")
    is_active = models.BooleanField(default=True)
    monthly_budget = models.DecimalField(
        "monthly compensation budget",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Leave empty to use the recovery policy's budget per location.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Their role is their group (Frontline, Manager, Owner)."""

    locations = models.ManyToManyField(Location, related_name="staff", blank=True)
    authority_limit = models.DecimalField(
        "own authority limit",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="What this person may grant without approval; empty means their role's limit.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
