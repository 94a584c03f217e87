"""Signing in and resetting a password: Django's own views, with limits by address and by email.

django-axes pauses one user name at one address after AXES_FAILURE_LIMIT failures. It compares
the largest of its counts to that one limit, so adding the address alone to its lockout
parameters would pause a whole shop's shared address after five typos among all its staff.
Failures from one address across many user names are counted here instead, with a limit of
their own (AMENDS_SIGN_IN_FAILURES_PER_ADDRESS): someone trying name after name is paused,
a busy shop is not.
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_ratelimit.core import get_usage, is_ratelimited

SIGN_IN_LOCKED_TEMPLATE = "registration/locked_out.html"
PASSWORD_RESET_LIMITED = _(
    "Too many requests to reset a password, for this email or from this address. Please wait an hour "
    "and try again. If you asked a moment ago, the email may already be on its way."
)


def _sign_in_failures(request, *, count: bool) -> dict:
    return get_usage(
        request,
        group="accounts.sign_in.failures",
        key="ip",
        rate=settings.AMENDS_SIGN_IN_FAILURES_PER_ADDRESS,
        increment=count,
    )


class SignInView(auth_views.LoginView):
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        usage = _sign_in_failures(request, count=False)
        if usage and usage["count"] >= usage["limit"]:
            # Refused before any password is checked, even the right one, until the window ends.
            response = TemplateResponse(request, SIGN_IN_LOCKED_TEMPLATE, {"address_paused": True}, status=429)
            response.headers["Retry-After"] = str(max(usage["time_left"], 1))
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        _sign_in_failures(self.request, count=True)
        return super().form_invalid(form)


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset (the same answer whether or not the email belongs to anyone), limited per
    address and per email asked for, so it cannot be used to flood someone's inbox or to try
    address after address. The limit's message is the same for an email with no account."""

    def form_valid(self, form):
        email = form.cleaned_data["email"].strip().lower()
        # Both counted on every request (no short cut), so each limit sees every request.
        limited = [
            is_ratelimited(
                self.request,
                group="accounts.password_reset.address",
                key="ip",
                rate=settings.AMENDS_PASSWORD_RESETS_PER_ADDRESS,
                increment=True,
            ),
            is_ratelimited(
                self.request,
                group="accounts.password_reset.email",
                key=lambda group, request: email,
                rate=settings.AMENDS_PASSWORD_RESETS_PER_EMAIL,
                increment=True,
            ),
        ]
        if any(limited):
            form.add_error(None, PASSWORD_RESET_LIMITED)
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
