from accounts.roles import ROLE_LABELS, Role, role_of
from core.models import Notification
from core.templatetags.amends import BADGE_CAP
from followups.selectors import failed_followups_count
from recovery.selectors import approval_queue_count


def roles(request):
    """The signed-in person's role, for navigation that fits their job, and what waits for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    unread = list(Notification.objects.filter(user=user, read_at__isnull=True)[:6])
    role = role_of(user)
    context: dict[str, object] = {
        "role": role,
        "role_label": ROLE_LABELS.get(role) if role else "",
        "Role": Role,
        "unread_notifications": unread,
    }
    if user.has_perm("recovery.decide_proposal"):
        context["approvals_waiting"] = approval_queue_count(user, cap=BADGE_CAP)
    if user.has_perm("followups.resolve_followup"):
        context["followups_failed"] = failed_followups_count(user, cap=BADGE_CAP)
    return context
