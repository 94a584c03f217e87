"""What every resource view of the API shares: the token's user as the actor, the role's
permissions as the pages have them, input validated by shape (a serializer) and then by the
page's own form and the service, and creates made idempotent.

How to add a resource: docs/api.md, "Adding a resource".
"""

from collections.abc import Callable, Mapping
from typing import Any

from django.forms import Form
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from core.exceptions import ApplicationError

from ..idempotency import idempotent_create
from ..models import ApiToken
from ..problems import GENERAL, flatten

NOT_AN_OBJECT = _("Send a JSON object.")


class RolePermissions(BasePermission):
    """The Django permissions the view's `permissions` names for the request's method: the same a
    page asks (a role without them gets a 403, as on the pages)."""

    def has_permission(self, request, view) -> bool:
        wanted = getattr(view, "permissions", {}).get(request.method, ())
        return all(request.user.has_perm(permission) for permission in wanted)


class ApiView(GenericAPIView):
    """A resource of /api/v1/. Subclasses set `permissions` ({method: [permission, …]})."""

    permission_classes = [IsAuthenticated, RolePermissions]
    # No OPTIONS: DRF's metadata would describe a serializer these views do not declare (a 500);
    # the schema is the description. OPTIONS answers 405, as any method not offered.
    metadata_class = None
    permissions: Mapping[str, tuple[str, ...]] = {}
    # The pages' views are typed AuthenticatedHttpRequest; here the user is the token's.
    request: Request

    @property
    def actor(self) -> User:
        return self.request.user

    @property
    def token(self) -> ApiToken:
        return self.request.auth

    def validated(self, serializer_class: type[serializers.Serializer], data: Any, **kwargs) -> dict[str, Any]:
        """The body (or query) checked for its shape: a 422 problem naming each bad field."""
        if not isinstance(data, Mapping):
            raise ValidationError({GENERAL: [NOT_AN_OBJECT]})
        serializer = serializer_class(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def create(self, make: Callable[[], Response]) -> Response:
        """Run a create under the request's Idempotency-Key, if any, in one transaction."""
        return idempotent_create(self.request, make)


def as_checkboxes(params: QueryDict, typed: Mapping[str, Any], *names: str) -> QueryDict:
    """A copy of the query `params` with each boolean filter of `names` that `typed` (the query as
    its serializer read it) holds written as a page's checkbox reads it: "true" or "false" (the
    checkbox would read any other value, "0" and "no" too, as ticked)."""
    params = params.copy()
    for name in names:
        if name in typed:
            params[name] = "true" if typed[name] else "false"
    return params


def check_form(form: Form, rename: Callable[[str], str] = lambda name: name) -> None:
    """Validate with a page's own form: its messages, word for word, as a 422 problem
    (`rename` turns the form's field names into the API's)."""
    if form.is_valid():
        return
    errors = {rename(name) if name != "__all__" else GENERAL: list(messages) for name, messages in form.errors.items()}
    raise ValidationError(flatten(errors))


def refused_as(error: ApplicationError, rename: Callable[[str], str]) -> ApplicationError:
    """A service's refusal with its field named as the API names it."""
    return ApplicationError(error.message, field=rename(error.field) if error.field else None, extra=error.extra)
