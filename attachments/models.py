import uuid

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def attachment_storage() -> Storage:
    """STORAGES["attachments"]: never the public media (config/settings.py says where)."""
    return storages["attachments"]


def random_name(extension: str) -> str:
    """A stored file's name: random, in 256 folders; nothing of the case or the uploader."""
    token = uuid.uuid4().hex
    return f"{token[:2]}/{token}.{extension}"


class Attachment(models.Model):
    """A photo or document on a case: a defective product, a receipt, a damaged ceiling.

    Stored under a random name in its own storage and served only by a view that checks who
    may see the case (attachments.views). The file is what attachments.validation kept: an
    image written again without its metadata, or a PDF as sent.
    """

    class Source(models.TextChoices):
        STAFF = "staff", _("Staff")
        CUSTOMER = "customer", _("The customer (their own report)")
        EMAIL = "email", _("Email")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=attachment_storage, max_length=200)
    thumbnail = models.FileField(storage=attachment_storage, max_length=200, blank=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # Only shown, and offered as a download's name: cleaned (attachments.validation.display_name).
    original_name = models.CharField(max_length=120)
    source = models.CharField(max_length=10, choices=Source.choices)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            # The same file twice on one case (a double submit, a resent report) is kept once.
            models.UniqueConstraint(fields=["case", "sha256"], name="attachment_once_per_case"),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("cases:attachment", kwargs={"pk": self.case_id, "attachment_id": self.pk})

    def get_thumbnail_url(self) -> str:
        return reverse("cases:attachment_thumbnail", kwargs={"pk": self.case_id, "attachment_id": self.pk})

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")
