from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """A message to one member of staff in the app: a decision on their proposal, a reminder."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.text


class Canary(models.Model):
    """A canary task a worker consumed: proof that the broker delivers and a worker runs
    tasks, not only that its process is up. Beat sends one every minute; `manage.py
    healthcheck` sends its own and waits for it; /health/ reports the age of the latest."""

    token = models.CharField(max_length=64, unique=True)
    worker = models.CharField(max_length=200, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("canaries")
        indexes = [models.Index(fields=["-consumed_at"], name="canary_latest")]

    def __str__(self) -> str:
        return f"Canary {self.token} consumed by {self.worker or '?'} at {self.consumed_at:%Y-%m-%d %H:%M:%S}"
