"""The case list and the case page: its facts, its timeline, the customer's history and the
panels of recovery, follow-ups and corrective action, with the case's own actions posting here.
They read every app below, so they live on the top floor."""

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.roles import Role, role_of, staff_at
from attachments.forms import AttachmentForm
from attachments.models import Attachment
from attachments.selectors import attachments_of
from attachments.services import attachments_add
from cases import services
from cases.filters import ACTIVE, ME
from cases.forms import AssignForm, ContactForm, NoteForm, SeverityForm, TransitionForm
from cases.selectors import CSV_HEADER, case_get, case_list, cases_csv_rows, customer_history
from cases.severity import Severity
from cases.states import Outcome, State, allowed_next
from conversations.forms import MessageForm
from conversations.selectors import ComposerPanel, composer_panel, default_channel, message_followups
from core.csv_export import csv_response
from core.exceptions import ApplicationError
from core.pagination import page_of
from corrective.selectors import corrective_panel
from followups.selectors import followups_panel
from recovery.selectors import recovery_panel

from ..filters import CaseListFilter

UNKNOWN_ACTION = _("That action is not known.")
NOT_SAVED = _("That was not saved: see the message below.")
UNKNOWN_STATE = _("That state is not known.")


def default_list_query(user) -> str:
    """Where each role lands: frontline on their own open cases, others on all open ones."""
    if role_of(user) is Role.FRONTLINE:
        return f"assignee={ME}&state={ACTIVE}"
    return f"state={ACTIVE}"


def fresh_message_form(case) -> MessageForm:
    """The composer's form as the case page first shows it: a new one-time token, the
    customer's channel."""
    return MessageForm(initial={"submission_token": uuid.uuid4(), "channel": default_channel(case)})


class CaseListView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    permission_required = "cases.view_case"
    template_name = "cases/case_list.html"
    filterset_class = CaseListFilter
    per_page = 25

    def get(self, request, *args, **kwargs):
        if not request.GET:
            return HttpResponseRedirect(f"{request.path}?{default_list_query(request.user)}")
        if request.GET.get("export") == "csv":
            stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
            return csv_response(f"cases-{stamp}.csv", CSV_HEADER, cases_csv_rows(self.filtered()[0]))
        return super().get(request, *args, **kwargs)

    def filtered(self):
        case_filter = self.filterset_class(
            self.request.GET, queryset=case_list(self.request.user), user=self.request.user
        )
        return (case_filter.qs if case_filter.is_valid() else case_list(self.request.user).none()), case_filter

    def get_context_data(self, **kwargs):
        cases, case_filter = self.filtered()
        page = page_of(cases, self.request.GET.get("page"), self.per_page)
        return super().get_context_data(filter=case_filter, page=page, now=timezone.now(), tabs=self._tabs(), **kwargs)

    def _tabs(self):
        current = self.request.GET.urlencode()
        tabs = [
            (gettext("My open cases"), f"assignee={ME}&state={ACTIVE}"),
            (gettext("All open"), f"state={ACTIVE}"),
            (gettext("Overdue"), f"state={ACTIVE}&overdue=on"),
            (gettext("Everything"), "sort=newest"),
        ]
        return [(label, query, query == current) for label, query in tabs]


class CaseDetailView(PermissionRequiredMixin, TemplateView):
    """A case: its facts, its timeline, the customer's history, and what can be done next.

    Every action posts here with an `action` field; a refused action shows the
    page again with what was typed and the reason.
    """

    request: AuthenticatedHttpRequest

    template_name = "cases/case_detail.html"
    permission_required = "cases.view_case"
    actions = {
        "transition": TransitionForm,
        "note": NoteForm,
        "contact": ContactForm,
        "assign": AssignForm,
        "severity": SeverityForm,
        "attach": AttachmentForm,
    }

    def get_case(self):
        return case_get(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        case = kwargs.get("case") or self.get_case()
        staff = staff_at([case.location_id])
        bound = kwargs.pop("bound_forms", {})
        # The composer as its own view sent it back (a preview, a refusal), else a fresh one.
        composer: ComposerPanel | None = kwargs.pop("composer", None)
        # What the case's life allows given what was decided about its remedies (the service
        # refuses the rest): no way into or out of waiting for approval by hand, and no
        # "remedy delivered" before a remedy is.
        recovery = recovery_panel(case, self.request.user)
        followups = followups_panel(case, bound)
        manual_next = allowed_next(case.state_enum, recovery.remedies)
        context = super().get_context_data(**kwargs)
        history = customer_history(case.customer, self.request.user, exclude_pk=case.pk, limit=10)
        context.update(
            case=case,
            history=history.cases,
            history_elsewhere=history.elsewhere,
            next_states=manual_next,
            can_close=State.CLOSED in manual_next,
            outcomes=list(Outcome),
            note_form=bound.get("note", NoteForm()),
            contact_form=bound.get("contact", ContactForm()),
            transition_form=bound.get("transition"),
            assign_form=bound.get("assign", AssignForm(staff=staff, initial={"assignee": case.assignee_id})),
            severity_form=bound.get("severity", SeverityForm(initial={"severity": case.severity})),
            severities=list(Severity),
            attachments=list(attachments_of(case)),
            attach_form=bound.get("attach", AttachmentForm()),
            recovery=recovery,
            followups=followups,
            corrective=corrective_panel(case, self.request.user),
            composer=composer or composer_panel(case, fresh_message_form(case)),
            # The follow-ups carrying the messages written, for their delivery state on the timeline.
            message_followups=message_followups(followups.rows),
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("cases.change_case"):
            raise PermissionDenied
        case = self.get_case()
        action = request.POST.get("action", "")
        form_class = self.actions.get(action)
        if form_class is None:
            messages.error(request, UNKNOWN_ACTION)
            return redirect(case)
        extra = {"staff": staff_at([case.location_id])} if action == "assign" else {}
        form = form_class(request.POST, request.FILES, **extra)
        if form.is_valid():
            try:
                message = getattr(self, f"do_{action}")(case, form.cleaned_data)
            except ApplicationError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
            else:
                messages.success(request, message)
                return HttpResponseRedirect(reverse("cases:detail", kwargs={"pk": case.pk}))
        messages.error(request, NOT_SAVED)
        context = self.get_context_data(case=case, bound_forms={action: form})
        return self.render_to_response(context, status=400)

    def do_transition(self, case, data):
        try:
            to_state = State(data["to_state"])
        except ValueError as error:
            raise ApplicationError(UNKNOWN_STATE) from error
        outcome = Outcome(data["outcome"]) if data["outcome"] else None
        case = services.case_transition(
            case=case,
            actor=self.request.user,
            to_state=to_state,
            outcome=outcome,
            note=data["note"],
            expected_state=data["expected_state"],
        )
        state = gettext(to_state.label).lower()
        return gettext("%(reference)s is now %(state)s.") % {"reference": case.reference, "state": state}

    def do_note(self, case, data):
        services.case_add_note(case=case, actor=self.request.user, note=data["note"])
        return gettext("Note added.")

    def do_contact(self, case, data):
        services.case_record_contact(case=case, actor=self.request.user, note=data["note"])
        return gettext("Contact with the customer recorded.")

    def do_assign(self, case, data):
        assignee = data["assignee"]
        services.case_assign(case=case, actor=self.request.user, assignee_id=assignee.pk if assignee else None)
        return gettext("Assigned to %(name)s.") % {"name": assignee} if assignee else gettext("Case unassigned.")

    def do_attach(self, case, data):
        added = attachments_add(
            case=case, uploads=data["upload"], source=Attachment.Source.STAFF, actor=self.request.user
        )
        return ngettext("File attached.", "%(count)d files attached.", len(added)) % {"count": len(added)}

    def do_severity(self, case, data):
        severity = Severity(data["severity"])
        services.case_set_severity(case=case, actor=self.request.user, severity=severity, reason=data["reason"])
        return gettext("Severity set to %(severity)s.") % {"severity": gettext(severity.label).lower()}
