"""The API's own rows: its tokens, and the keys that make a create safe to retry."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.role import Role


class ApiToken(models.Model):
    """A key to the API. A personal token acts as the member of staff who made it, with exactly
    their rights; an integration token, made by an owner for one location and a role, acts as
    its own user (`user.is_integration`), so every rule of the web app applies to it unchanged.

    The token itself is shown once, when it is made: only its prefix (its public name) and the
    SHA-256 of the whole are kept (api/tokens.py)."""

    class Kind(models.TextChoices):
        PERSONAL = "personal", _("Personal")
        INTEGRATION = "integration", _("Integration")

    prefix = models.CharField(max_length=16, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    name = models.CharField(_("what it is for"), max_length=100)
    # Who the token acts as: the member of staff (personal) or the integration's own user.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # An integration's location and role (its user's too); empty for a personal token.
    location = models.ForeignKey(
        "accounts.Location", on_delete=models.CASCADE, related_name="api_tokens", null=True, blank=True
    )
    role = models.CharField(max_length=20, choices=[(role.value, role.value) for role in Role], blank=True)
    created_at = models.DateTimeField()
    # Updated at most once a minute (api/services.py token_touch): a busy integration is not a write per request.
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("manage_integration_tokens", "Can make and revoke a location's integration tokens")]

    def __str__(self) -> str:
        return f"{self.name} (amd_{self.prefix}_…)"


class IdempotencyKey(models.Model):
    """A create that was made with an `Idempotency-Key`: its first answer, replayed when the same
    principal sends the same key and body again. Inserted in the create's own transaction, under
    a unique constraint: two requests at the same moment make one object (the second waits for the
    first's commit, then replays it). Kept for a day (`api.idempotency_keys_sweep`)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    # SHA-256 of the method, the path and the body: the same key with another request is a 409.
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return self.key
