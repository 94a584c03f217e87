from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.languages import default_language


class ContactChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone call")
    SMS = "sms", _("Text message")
    POST = "post", _("Post")


class Customer(models.Model):
    """Someone the business let down. Email and phone are stored normalised."""

    name = models.CharField(max_length=150)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=16, blank=True)
    preferred_channel = models.CharField(max_length=10, choices=ContactChannel.choices, default=ContactChannel.EMAIL)
    contact_consent = models.BooleanField(
        _("agrees to be contacted"),
        default=False,
        help_text=_("The customer agreed that we may contact them about this and later follow-ups."),
    )
    # The language of their messages and pages: their location's when they were recorded.
    # db_default too: rows written by raw COPY (seed_bench) name no language.
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=default_language,
        db_default=default_language(),
        verbose_name=_("language"),
        help_text=_("The language of the messages and pages this customer gets."),
    )
    yearly_value = models.DecimalField(
        _("estimated yearly spend"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    customer_since = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True, max_length=4000)
    # The branch that first recorded the customer; a customer is also visible
    # wherever they have a case.
    home_location = models.ForeignKey("accounts.Location", on_delete=models.PROTECT, related_name="customers")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once the customer's personal details were removed at their request; their
    # cases stay (the business's record of what happened) with nothing that names them.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["name"]
        # Owners' (accounts/roles.py), and only for someone who sees every location (privacy/).
        permissions = [
            ("export_customer", "Can export everything held about a customer"),
            ("erase_customer", "Can erase a customer's personal data"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["email"], condition=~Q(email=""), name="customer_email_unique"),
            models.UniqueConstraint(fields=["phone"], condition=~Q(phone=""), name="customer_phone_unique"),
            models.CheckConstraint(
                condition=Q(yearly_value__isnull=True) | Q(yearly_value__gte=0),
                name="customer_yearly_value_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["home_location", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""
