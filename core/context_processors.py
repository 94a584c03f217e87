from accounts.roles import Role, role_of


def roles(request):
    """The signed-in person's role, for navigation that fits their job, and what waits for them."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    context = {"role": role_of(user), "Role": Role}
    if user.has_perm("recovery.decide_proposal"):
        from recovery.selectors import approval_queue_count

        context["approvals_waiting"] = approval_queue_count(user)
    return context
