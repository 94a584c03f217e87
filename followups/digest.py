"""Each member of staff's daily email: their reminders and escalations, and (for managers)
what could not be sent. Once a person a day, whatever runs it how often."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from accounts.models import User
from core.models import Notification

from .channels import OutgoingMessage, send_email
from .models import DigestLog, FollowUp
from .selectors import failed_followups_count, followups_for


@dataclass
class Digest:
    user: User
    followups: list[FollowUp] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    failed: int = 0

    @property
    def empty(self) -> bool:
        return not (self.followups or self.notifications or self.failed)


def digest_for(user: User, now: datetime) -> Digest:
    """What is on this person's plate: reminders due by the end of today, what they were told
    in the app over the last day and have not read, and failed messages they can resolve."""
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=59)
    return Digest(
        user=user,
        followups=list(followups_for(user).filter(due_at__lte=end_of_day)[:50]),
        notifications=list(
            Notification.objects.filter(user=user, read_at__isnull=True, created_at__gte=now - timedelta(days=1))[:50]
        ),
        failed=failed_followups_count(user) if user.has_perm("followups.resolve_followup") else 0,
    )


def digest_recipients() -> list[int]:
    """Active staff with an email address and a role."""
    return list(
        User.objects.filter(is_active=True, groups__isnull=False)
        .exclude(email="")
        .distinct()
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def followup_digest_send(*, user_id: int, now: datetime | None = None) -> bool:
    """Send today's digest to one person, if it is time and not done yet. Returns True if sent.

    The day's log row is written in the same transaction as the send: a failed send
    leaves no row, so the next hourly run tries again; a second run finds the row and
    does nothing; two at once meet the unique constraint and one sends.
    """
    now = now or timezone.now()
    local = timezone.localtime(now)
    if local.hour < settings.AMENDS_DIGEST_HOUR:
        return False
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or DigestLog.objects.filter(user=user, day=local.date()).exists():
        return False
    digest = digest_for(user, now)
    with transaction.atomic():
        try:
            with transaction.atomic():
                DigestLog.objects.create(user=user, day=local.date(), sent_at=now)
        except IntegrityError:
            return False
        if digest.empty:
            return False  # nothing to say today: settled without an email
        context = {"digest": digest, "today": local}
        text = render_to_string("followups/email/digest.txt", context)
        html = render_to_string("followups/email/digest.html", context)
        send_email(
            OutgoingMessage(
                to=user.email,
                subject=gettext("Amends: your day, %(day)s") % {"day": date_format(local, "D j M")},
                text=text,
                html=html,
                message_id=f"<digest-{user.pk}-{local.date().isoformat()}@amends>",
            )
        )
    return True
