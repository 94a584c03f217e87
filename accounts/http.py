"""The request a signed-in page is given: its `user` is a User, never the AnonymousUser.

Every page but the public ones (the customer's portal, sign-in and password reset, /health/,
the favicon) sits behind LoginRequiredMiddleware and most behind a permission, so by the time
a view runs `request.user` is a signed-in User. Django's stubs type it `User | AnonymousUser`
for every request; a view that says `request: AuthenticatedHttpRequest` (a function view's
parameter, a class-based view's class attribute) can hand it to services and selectors that
take `actor: User` without a cast. This is the pattern django-stubs documents for
login-required views; tests/test_signed_in_views.py checks that every signed-in view says so
and that every public one is listed as public.
"""

from django.http import HttpRequest

from .models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
