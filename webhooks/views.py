"""The webhooks page (owners: permission webhooks.change_endpoint): the endpoints, one endpoint's
settings and secret, its delivery log, and replaying deliveries."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from core.exceptions import ApplicationError

from . import selectors, services
from .forms import DeliveryFilterForm, EndpointForm, ReplayForm
from .models import Endpoint
from .tasks import doorbell


def _values(form: EndpointForm) -> dict:
    data = form.cleaned_data
    return {
        "url": data["url"],
        "description": data["description"],
        "kinds": data["kinds"],
        "locations": list(data["locations"]),
        "is_active": data["is_active"],
    }


def _apply_error(form: EndpointForm, error: ApplicationError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


class EndpointListView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "webhooks/endpoint_list.html"
    permission_required = "webhooks.change_endpoint"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=selectors.endpoint_rows(), **kwargs)


class EndpointCreateView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "webhooks/endpoint_new.html"
    permission_required = "webhooks.add_endpoint"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", EndpointForm())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        form = EndpointForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            endpoint = services.endpoint_create(
                actor=request.user, submission_token=form.cleaned_data["submission_token"], **_values(form)
            )
        except ApplicationError as error:
            _apply_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Endpoint added. Give its secret to the receiver to check the signatures."))
        return redirect("webhooks:endpoint", endpoint.pk)


class EndpointView(PermissionRequiredMixin, TemplateView):
    """One endpoint: its settings (Save), its secret (Rotate), Remove; the delivery log
    (`?state=`) with Replay for one delivery or every failed one."""

    request: AuthenticatedHttpRequest
    template_name = "webhooks/endpoint_detail.html"
    permission_required = "webhooks.change_endpoint"
    query_form = DeliveryFilterForm

    def dispatch(self, request, *args, **kwargs):
        self.endpoint = get_object_or_404(Endpoint, pk=kwargs["pk"]) if request.user.is_authenticated else None
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        endpoint = self.endpoint
        assert endpoint is not None  # set by dispatch for a signed-in user
        query = self.query_form(self.request.GET)
        state = query.cleaned_data["state"] if query.is_valid() else ""
        kwargs.setdefault(
            "form",
            EndpointForm(
                initial={
                    "url": endpoint.url,
                    "description": endpoint.description,
                    "kinds": endpoint.kinds or [services.ALL_KINDS],
                    "locations": list(endpoint.locations.all()),
                    "is_active": endpoint.is_active,
                }
            ),
        )
        return super().get_context_data(
            endpoint=endpoint,
            query=query,
            state=state,
            log=selectors.delivery_log(endpoint, state=state),
            failed=selectors.failed_count(endpoint),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        endpoint = self.endpoint
        assert endpoint is not None
        action = request.POST.get("do")
        if action == "rotate":
            services.endpoint_rotate_secret(endpoint=endpoint, actor=request.user)
            messages.success(request, _("A new secret: requests are signed with it from now on."))
            return redirect("webhooks:endpoint", endpoint.pk)
        if action == "delete":
            services.endpoint_delete(endpoint=endpoint, actor=request.user)
            messages.success(request, _("Endpoint removed: nothing more is sent to it."))
            return redirect("webhooks:endpoints")
        if action == "replay":
            replay = ReplayForm(request.POST)
            chosen = replay.cleaned_data["delivery"] if replay.is_valid() else None
            count = services.deliveries_replay(
                endpoint=endpoint, actor=request.user, delivery_ids=None if chosen is None else [chosen]
            )
            transaction.on_commit(doorbell)  # after the replay's commit, as for the log
            messages.success(request, _("Sending again: %(count)s deliveries.") % {"count": count})
            return redirect("webhooks:endpoint", endpoint.pk)
        form = EndpointForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            services.endpoint_update(endpoint=endpoint, actor=request.user, **_values(form))
        except ApplicationError as error:
            _apply_error(form, error)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Saved."))
        return redirect("webhooks:endpoint", endpoint.pk)
