from django.contrib.auth.models import AbstractUser
from django.db import models


class Location(models.Model):
    """A branch of the business: where incidents happen and staff work."""

    name = models.CharField(max_length=120, unique=True)
    code = models.SlugField(max_length=20, unique=True, help_text="Short code, e.g. LDN-SOHO.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A member of staff. Their role is their group (Frontline, Manager, Owner)."""

    locations = models.ManyToManyField(Location, related_name="staff", blank=True)

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username
