"""Corrective action pages: the list, create and edit, the action's page (link cases, start,
cancel, the message with a preview, done), and linking from the case page.
Views translate HTTP to forms, selectors and services; they decide nothing."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import location_ids_of, locations_of
from cases.models import REFERENCE_PREFIX, Case, parse_reference
from cases.selectors import case_get, cases_visible_to
from core.exceptions import ApplicationError
from core.pagination import page_of

from . import services
from .forms import (
    ActionCreateQuery,
    ActionFilterForm,
    ActionForm,
    CompleteForm,
    ConfirmForm,
    LinkCaseForm,
    UnlinkCaseForm,
)
from .selectors import (
    action_cases,
    action_get,
    action_list,
    completion_plan,
    links_elsewhere,
    message_preview,
    possible_owners,
)

CASE_NOT_FOUND = _("No case {reference} at your locations: check the reference.")
COMPLETION_CHANGED = _("The linked cases changed since you confirmed: check who will be told, and confirm again.")
UNKNOWN_ACTION = _("That action is not known.")
NOT_LINKED = _("That case is not linked to this action.")
# The placeholder of the reference field: an example, in the one place the prefix is set.
REFERENCE_EXAMPLE = f"{REFERENCE_PREFIX}000123"


def _field(form, name: str | None) -> str | None:
    return name if name in form.fields else None


def _find_case(user, reference: str) -> Case:
    """A case by its reference among those the user may see, else an ApplicationError for the form."""
    pk = parse_reference(reference)
    case = cases_visible_to(user).select_related("location").filter(pk=pk).first() if pk else None
    if case is None:
        shown = f"{REFERENCE_PREFIX}{pk:06d}" if pk else reference.strip()
        raise ApplicationError(CASE_NOT_FOUND.format(reference=shown), field="reference")
    return case


class ActionListView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "corrective/action_list.html"
    permission_required = "corrective.view_correctiveaction"
    query_form = ActionFilterForm
    per_page = 50

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.setdefault("state", "active")  # the default view: what is still being worked on
        form = self.query_form(query)
        data = form.cleaned_data if form.is_valid() else {"state": "active", "overdue": False}
        actions = action_list(self.request.user, state=data["state"], overdue=data["overdue"])
        page = page_of(actions, self.request.GET.get("page"), self.per_page)
        return super().get_context_data(filter_form=form, page=page, today=timezone.localdate(), **kwargs)


class _ActionFormView(PermissionRequiredMixin, FormView):
    request: AuthenticatedHttpRequest
    template_name = "corrective/action_form.html"
    form_class = ActionForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["owners"] = possible_owners(self.request.user)
        return kwargs

    def refused(self, form, error: ApplicationError):
        form.add_error(_field(form, error.field), error.message)
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ActionCreateView(_ActionFormView):
    permission_required = "corrective.add_correctiveaction"
    query_form = ActionCreateQuery

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["locations"] = locations_of(self.request.user, active_only=True)
        return kwargs

    def get_initial(self):
        initial: dict[str, object] = {"owner": self.request.user.pk}
        ids = location_ids_of(self.request.user)
        if ids is not None and len(ids) == 1:
            initial["location"] = ids[0]  # a manager of one branch fixes things there, mostly
        query = self.query_form(self.request.GET)
        if query.is_valid() and query.cleaned_data["case"]:
            case = case_get(self.request.user, query.cleaned_data["case"])
            initial.update(case_reference=case.reference, location=case.location_id)
        return initial

    def form_valid(self, form):
        location = form.cleaned_data["location"]
        try:
            reference = form.cleaned_data["case_reference"]
            case = _find_case(self.request.user, reference) if reference else None
            action = services.corrective_action_create(
                actor=self.request.user,
                details=form.details(),
                location_id=location.pk if location else None,
                case=case,
            )
        except ApplicationError as error:
            if error.field == "reference":
                error.field = "case_reference"
            return self.refused(form, error)
        messages.success(self.request, gettext("Corrective action “{title}” recorded.").format(title=action.title))
        return redirect(action)


class ActionUpdateView(_ActionFormView):
    permission_required = "corrective.change_correctiveaction"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.action = action_get(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if not self.action.is_active:
            state = gettext(self.action.state_enum.label).lower()
            messages.info(request, gettext("This action is {state}: it can no longer be edited.").format(state=state))
            return redirect(self.action)
        if links_elsewhere(self.action, request.user).exists():
            messages.info(request, services.CASES_ELSEWHERE)
            return redirect(self.action)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["editing"] = True
        return kwargs

    def get_initial(self):
        action = self.action
        return {
            "title": action.title,
            "kind": action.kind,
            "description": action.description,
            "owner": action.owner_id,
            "due_date": action.due_date,
            "customer_message": action.customer_message,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, **kwargs)

    def form_valid(self, form):
        try:
            action = services.corrective_action_update(
                action=self.action, actor=self.request.user, details=form.details()
            )
        except ApplicationError as error:
            return self.refused(form, error)
        messages.success(self.request, gettext("Saved: “{title}”.").format(title=action.title))
        return redirect(action)


class ActionDetailView(PermissionRequiredMixin, TemplateView):
    """An action: what changes, its linked cases and how each customer heard, and what
    can be done next. Every change posts here with an `action` field; a refused one shows
    the page again with what was typed and the reason (status 400)."""

    request: AuthenticatedHttpRequest

    template_name = "corrective/action_detail.html"
    permission_required = "corrective.view_correctiveaction"
    actions = {
        "link": LinkCaseForm,
        "unlink": UnlinkCaseForm,
        "start": ConfirmForm,
        "cancel": ConfirmForm,
        "complete": CompleteForm,
    }

    def get_context_data(self, **kwargs):
        action = kwargs.pop("action", None) or action_get(self.request.user, self.kwargs["pk"])
        bound = kwargs.pop("bound_forms", {})
        linked = action_cases(action, self.request.user)
        can_change = self.request.user.has_perm("corrective.change_correctiveaction") and action.is_active
        return super().get_context_data(
            action=action,
            linked=linked,
            # Cases elsewhere: only someone who sees them all changes the action (the service refuses).
            can_change=can_change and not linked.elsewhere,
            cases_elsewhere_note=services.CASES_ELSEWHERE if can_change and linked.elsewhere else "",
            link_form=bound.get("link", LinkCaseForm()),
            reference_example=REFERENCE_EXAMPLE,
            complete_form=bound.get("complete", CompleteForm(initial={"message": action.customer_message})),
            bound_forms=bound,
            **kwargs,
        )

    def post(self, request, pk):
        if not request.user.has_perm("corrective.change_correctiveaction"):
            raise PermissionDenied
        action = action_get(request.user, pk)
        name = request.POST.get("action", "")
        form_class = self.actions.get(name)
        if form_class is None:
            messages.error(request, UNKNOWN_ACTION)
            return redirect(action)
        form = form_class(request.POST)
        if form.is_valid():
            if name == "complete" and request.POST.get("do") == "preview":
                return self.preview(action, form)
            if name == "complete" and action.is_active and not self.confirmed(action, form):
                return self.confirm(action, form)
            try:
                message = getattr(self, f"do_{name}")(action, form.cleaned_data)
            except ApplicationError as error:
                form.add_error(_field(form, error.field), error.message)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(action.get_absolute_url() + ("#cases" if "link" in name else ""))
        context = self.get_context_data(action=action_get(request.user, pk), bound_forms={name: form})
        return self.render_to_response(context, status=400)

    def preview(self, action, form):
        """The text kept in the form, and the message as a customer will read it."""
        context = self.get_context_data(
            action=action,
            bound_forms={"complete": form},
            preview=message_preview(action, self.request.user, form.cleaned_data["message"]),
            previewed=True,
        )
        return self.render_to_response(context)

    def confirmed(self, action, form) -> bool:
        """Confirmed on a page that named the same customers as would be told now."""
        data = form.cleaned_data
        return data["confirmed"] and data["expected"] == completion_plan(action).expected

    def confirm(self, action, form):
        """Before anyone is told: who will be, who will not and why, and the words."""
        if links_elsewhere(action, self.request.user).exists():
            # Never list customers the user may not see, nor let them word a message to them.
            form.add_error(None, services.CASES_ELSEWHERE)
            context = self.get_context_data(action=action, bound_forms={"complete": form})
            return self.render_to_response(context, status=400)
        plan = completion_plan(action)
        changed = form.cleaned_data["confirmed"]  # confirmed, but the linked customers changed since
        if changed:
            form.add_error(None, COMPLETION_CHANGED)
        context = self.get_context_data(action=action, bound_forms={"complete": form}, plan=plan, confirming=True)
        return self.render_to_response(context, status=400 if changed else 200)

    def do_link(self, action, data):
        case = _find_case(self.request.user, data["reference"])
        _link, created = services.corrective_action_link_case(action=action, case=case, actor=self.request.user)
        said = gettext("{reference} linked.") if created else gettext("{reference} was already linked.")
        return said.format(reference=case.reference)

    def do_unlink(self, action, data):
        case = cases_visible_to(self.request.user).filter(pk=data["case"]).first()
        if case is None:
            raise ApplicationError(NOT_LINKED)
        services.corrective_action_unlink_case(action=action, case=case, actor=self.request.user)
        return gettext("{reference} unlinked.").format(reference=case.reference)

    def do_start(self, action, data):
        services.corrective_action_start(action=action, actor=self.request.user)
        return gettext("Marked in progress.")

    def do_cancel(self, action, data):
        services.corrective_action_cancel(action=action, actor=self.request.user)
        return gettext("Cancelled: nobody is told.")

    def do_complete(self, action, data):
        already = action.state == "done"
        action = services.corrective_action_complete(action=action, actor=self.request.user, message=data["message"])
        if already:
            return gettext("This action was already done; nobody was told twice.")
        told = action.links.filter(followup__isnull=False).count()
        return ngettext(
            "Done. {count} customer will be told what changed.",
            "Done. {count} customers will be told what changed.",
            told,
        ).format(count=told)
