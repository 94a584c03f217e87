from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import default_language


class SavedReply(models.Model):
    """A reply staff start from when they write to a customer from the case: a subject and a
    body with the placeholders of the message templates (followups/messages.py), kept by an
    owner (for every location, or one) or a manager (for a location of theirs). A retired
    reply is no longer offered; it is kept, as messages written from it name it."""

    title = models.CharField(max_length=100, help_text=_("What staff pick it by, e.g. “Sorry for the wait”."))
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=4000)
    # Empty: offered at every location (only an owner keeps those).
    location = models.ForeignKey(
        "accounts.Location", on_delete=models.CASCADE, null=True, blank=True, related_name="saved_replies"
    )
    # The language it is written in: offered on the cases of customers who read that language.
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default=default_language)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("saved reply")
        verbose_name_plural = _("saved replies")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["location", "is_active"], name="savedreply_location_active")]

    def __str__(self) -> str:
        return self.title
