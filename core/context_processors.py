from accounts.roles import Role, role_of


def roles(request):
    """The signed-in person's role, for navigation that fits their job."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    role = role_of(user)
    return {"role": role, "Role": Role}
