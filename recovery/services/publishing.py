"""Putting a new version of the policy and catalogue in force."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from cases import events
from cases.events import Kind
from core.exceptions import ApplicationError

from ..catalogue import catalogue_to_json
from ..models import PolicyVersion
from ..policy import RemedyKind, RemedyType

ONLY_OWNERS = _("Only an owner can change the recovery policy.")


@transaction.atomic
def policy_publish(*, actor: User, values: dict, catalogue: dict[RemedyKind, RemedyType]) -> PolicyVersion:
    """Put a new version of the policy and catalogue in force. Earlier versions stay as they
    were, so every past suggestion and decision still points at the rules it used."""
    if not actor.has_perm("recovery.add_policyversion"):
        raise ApplicationError(ONLY_OWNERS)
    version = PolicyVersion(
        **values, catalogue=catalogue_to_json(catalogue), created_by=actor, created_at=timezone.now()
    )
    version.full_clean()
    previous = PolicyVersion.objects.order_by("-id").first()  # the version in force until now
    version.save()
    names = [*values, "catalogue"]
    changes = {
        name: (None if previous is None else getattr(previous, name), getattr(version, name))
        for name in names
        if previous is None or getattr(previous, name) != getattr(version, name)
    }
    events.record(
        kind=Kind.POLICY_PUBLISHED,
        actor=actor,
        subject=f"policy:{version.pk}",
        note=f"Policy version {version.pk} published.",
        payload=events.Changed(changes=changes),
    )
    return version
