"""The pages where people keep their keys to the API: a member of staff's own tokens, and an
owner's integration tokens for the locations' systems. A token is shown once, on the page that
answers its creation, and never again (only its hash is kept)."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin, UserPassesTestMixin
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import Role, locations_of, role_of
from core.exceptions import ApplicationError

from ..forms import IntegrationTokenForm, TokenForm
from ..models import ApiToken
from ..selectors import integration_tokens_all, personal_tokens_of
from ..services import integration_token_create, personal_token_create, token_revoke


class HasRoleMixin(UserPassesTestMixin):
    """Staff with a role (an integration's own user never signs in)."""

    request: AuthenticatedHttpRequest

    def test_func(self) -> bool:
        return role_of(self.request.user) is not None and not self.request.user.is_integration


class PersonalTokensView(HasRoleMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "api/tokens.html"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", TokenForm())
        return super().get_context_data(tokens=personal_tokens_of(self.request.user), now=timezone.now(), **kwargs)

    def post(self, request, *args, **kwargs):
        form = TokenForm(request.POST)
        if form.is_valid():
            try:
                made = personal_token_create(
                    actor=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
                )
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                # Shown here, once: not in a redirect's flash message (kept in the session).
                return self.render_to_response(self.get_context_data(made=made), status=201)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class IntegrationTokensView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    permission_required = "api.manage_integration_tokens"
    template_name = "api/tokens.html"

    def form(self, data=None) -> IntegrationTokenForm:
        return IntegrationTokenForm(data, locations=locations_of(self.request.user, active_only=True))

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", self.form())
        tokens = integration_tokens_all(self.request.user)
        return super().get_context_data(tokens=tokens, now=timezone.now(), integrations=True, **kwargs)

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = integration_token_create(
                    actor=request.user,
                    location=data["location"],
                    role=Role(data["role"]),
                    name=data["name"],
                    expires_at=form.expires_at(),
                )
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                return self.render_to_response(self.get_context_data(made=made), status=201)
        return self.render_to_response(self.get_context_data(form=form), status=400)


class TokenRevokeView(HasRoleMixin, TemplateView):
    """POST: revoke one of your tokens, or (an owner) a location's integration token."""

    request: AuthenticatedHttpRequest
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        token = self._token(kwargs["pk"])
        try:
            token_revoke(token=token, actor=request.user)
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Token %(name)s revoked: it no longer works.") % {"name": token.name})
        return redirect("tokens:integrations" if token.kind == ApiToken.Kind.INTEGRATION else "tokens:personal")

    def _token(self, pk: int) -> ApiToken:
        user = self.request.user
        token = personal_tokens_of(user).filter(pk=pk).first()
        if token is None and user.has_perm("api.manage_integration_tokens"):
            token = integration_tokens_all(user).filter(pk=pk).first()
        if token is None:
            raise Http404
        return token
