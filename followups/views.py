"""Follow-up pages: the case page's follow-up actions, staff's own list, failed messages,
and the owner's wording of messages to customers. Views translate; services decide."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from cases import services as case_services
from cases.views import CaseDetailView
from core.exceptions import ApplicationError

from . import services
from .forms import (
    CallbackMadeForm,
    CallbackPromiseForm,
    FollowUpAddForm,
    FollowUpMoveForm,
    FollowUpPickForm,
    MessageTemplateForm,
)
from .messages import DEFAULTS, EDITABLE, PLACEHOLDERS, Wording, compose
from .models import FollowUp, MessageTemplate
from .plans import Purpose
from .selectors import failed_followups, followups_for
from .wording import message_template_reset, message_template_save, sample_values, wording_in_force

NOT_ON_CASE = "That follow-up is not on this case."


class CaseFollowUpView(CaseDetailView):
    """The case page's follow-up actions. A refused action shows the case page again,
    with what was typed and the reason, like the case's own actions."""

    actions = {
        "followup_add": FollowUpAddForm,
        "followup_move": FollowUpMoveForm,
        "followup_cancel": FollowUpPickForm,
        "followup_done": FollowUpPickForm,
        "followup_retry": FollowUpPickForm,
        "callback_promise": CallbackPromiseForm,
        "callback_made": CallbackMadeForm,
    }

    def get(self, request, *args, **kwargs):
        return redirect("cases:detail", pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("followups.change_followup"):
            raise PermissionDenied
        response = super().post(request, *args, **kwargs)
        target = request.POST.get("next", "")
        if response.status_code == 302 and url_has_allowed_host_and_scheme(target, {request.get_host()}):
            return HttpResponseRedirect(target)
        if response.status_code == 302:
            return HttpResponseRedirect(response.url + "#followups")
        return response

    def _followup(self, case, data) -> FollowUp:
        followup = FollowUp.objects.filter(pk=data["followup"], case=case).first()
        if followup is None:
            raise ApplicationError(NOT_ON_CASE)
        return followup

    def do_followup_add(self, case, data):
        recipient = {"me": self.request.user, "assignee": case.assignee or self.request.user, "managers": None}
        services.followup_schedule(
            case=case,
            kind=FollowUp.Kind.ESCALATION if data["who"] == "managers" else FollowUp.Kind.STAFF_REMINDER,
            channel=FollowUp.Channel.IN_APP,
            subject=data["subject"],
            body=data["body"],
            due_at=data["due_at"],
            recipient=recipient[data["who"]],
            actor=self.request.user,
            submission_token=data["submission_token"],
        )
        return f"Planned: {data['subject']}."

    def do_followup_move(self, case, data):
        followup = services.followup_move(
            followup=self._followup(case, data), actor=self.request.user, due_at=data["due_at"]
        )
        return f"Moved: {followup.subject}."

    def do_followup_cancel(self, case, data):
        followup = services.followup_cancel(followup=self._followup(case, data), actor=self.request.user)
        return f"Cancelled: {followup.subject}."

    def do_followup_done(self, case, data):
        followup = services.followup_mark_done(followup=self._followup(case, data), actor=self.request.user)
        return f"Done: {followup.subject}."

    def do_followup_retry(self, case, data):
        if not self.request.user.has_perm("followups.resolve_followup"):
            raise PermissionDenied
        followup = services.followup_move(
            followup=self._followup(case, data), actor=self.request.user, due_at=timezone.now()
        )
        return f"Trying again: {followup.subject}."

    def do_callback_promise(self, case, data):
        case = case_services.case_promise_callback(case=case, actor=self.request.user, at=data["at"], note=data["note"])
        when = timezone.localtime(case.promised_callback_at)
        return f"Callback promised for {when:%a %-d %b, %H:%M}; you will be reminded before."

    def do_callback_made(self, case, data):
        case_services.case_callback_made(case=case, actor=self.request.user, note=data["note"])
        return "Callback recorded: the promise is kept."


class FollowUpListView(PermissionRequiredMixin, TemplateView):
    """What waits for me; for managers, also what could not be sent at their locations."""

    template_name = "followups/followup_list.html"
    permission_required = "followups.view_followup"

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_resolve = user.has_perm("followups.resolve_followup")
        return super().get_context_data(
            mine=list(followups_for(user)[:100]),
            failed=list(failed_followups(user)[:100]) if can_resolve else [],
            can_resolve=can_resolve,
            now=timezone.now(),
            **kwargs,
        )


class MessageTemplateListView(PermissionRequiredMixin, TemplateView):
    """The messages customers get, in the owner's words or the built-in ones."""

    template_name = "followups/message_list.html"
    permission_required = "followups.view_messagetemplate"

    def get_context_data(self, **kwargs):
        owned = {row.purpose: row for row in MessageTemplate.objects.select_related("updated_by")}
        rows = [
            {"purpose": purpose, "wording": owned.get(purpose.value) or DEFAULTS[purpose], "owned": owned.get(purpose)}
            for purpose in EDITABLE
        ]
        return super().get_context_data(rows=rows, **kwargs)


class MessageTemplateEditView(PermissionRequiredMixin, TemplateView):
    """Edit one message with a preview; save, or go back to the built-in wording."""

    template_name = "followups/message_edit.html"
    permission_required = "followups.view_messagetemplate"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.purpose = Purpose(kwargs["purpose"])
        except ValueError as error:
            raise Http404 from error
        if self.purpose not in EDITABLE:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.pop("purpose", None)  # the URL's text; the view's own is the Purpose
        wording, is_default = wording_in_force(self.purpose)
        if "form" not in kwargs:
            kwargs["form"] = MessageTemplateForm(initial={"subject": wording.subject, "body": wording.body})
            kwargs["preview"] = compose(wording, sample_values(self.purpose))
        return super().get_context_data(
            purpose=self.purpose,
            placeholders=PLACEHOLDERS,
            can_edit=self.request.user.has_perm("followups.change_messagetemplate"),
            is_default=is_default,
            **kwargs,
        )

    def post(self, request, purpose):
        if not request.user.has_perm("followups.change_messagetemplate"):
            raise PermissionDenied
        if request.POST.get("do") == "reset":
            message_template_reset(purpose=self.purpose, actor=request.user)
            messages.success(request, f"“{self.purpose.label}” is back to the built-in wording.")
            return redirect("followups:messages")
        form = MessageTemplateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        wording = Wording(form.cleaned_data["subject"], form.cleaned_data["body"])
        if request.POST.get("do") == "preview":
            return self.render_to_response(
                self.get_context_data(form=form, preview=compose(wording, sample_values(self.purpose)))
            )
        message_template_save(purpose=self.purpose, wording=wording, actor=request.user)
        messages.success(request, f"Saved: customers now get your wording of “{self.purpose.label}”.")
        return redirect(reverse("followups:messages"))
