from accounts.roles import Role, role_of

# A badge counts up to here and then says "99+": counting every failed message of a large
# business on every page cost a third of a second; nobody reads past 99 in a badge.
BADGE_CAP = 100


def roles(request):
    """The signed-in person's role, for navigation that fits their job, and what waits for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from core.models import Notification

    unread = list(Notification.objects.filter(user=user, read_at__isnull=True)[:6])
    context: dict[str, object] = {"role": role_of(user), "Role": Role, "unread_notifications": unread}
    if user.has_perm("recovery.decide_proposal"):
        from recovery.selectors import approval_queue_count

        context["approvals_waiting"] = approval_queue_count(user, cap=BADGE_CAP)
    if user.has_perm("followups.resolve_followup"):
        from followups.selectors import failed_followups_count

        context["followups_failed"] = failed_followups_count(user, cap=BADGE_CAP)
    return context
