"""The case page's actions that belong to the apps above cases: follow-ups and corrective
action. Each is the case page (CaseDetailView) with its own forms, so a refused action shows the
case page again with what was typed and the reason."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases import services as case_services
from core.exceptions import ApplicationError
from corrective import services as corrective_services
from corrective.forms import LinkToActionForm
from corrective.selectors import actions_visible_to, told_when_done
from followups import services as followup_services
from followups.forms import CallbackMadeForm, CallbackPromiseForm, FollowUpAddForm, FollowUpMoveForm, FollowUpPickForm
from followups.models import FollowUp

from .cases import CaseDetailView

NOT_ON_CASE = _("That follow-up is not on this case.")
NOT_YOUR_ACTION = _("That corrective action is not one you can see.")


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
        followup_services.followup_schedule(
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
        return gettext("Planned: %(subject)s.") % {"subject": data["subject"]}

    def do_followup_move(self, case, data):
        followup = followup_services.followup_move(
            followup=self._followup(case, data), actor=self.request.user, due_at=data["due_at"]
        )
        return gettext("Moved: %(subject)s.") % {"subject": followup.subject}

    def do_followup_cancel(self, case, data):
        followup = followup_services.followup_cancel(followup=self._followup(case, data), actor=self.request.user)
        return gettext("Cancelled: %(subject)s.") % {"subject": followup.subject}

    def do_followup_done(self, case, data):
        followup = followup_services.followup_mark_done(followup=self._followup(case, data), actor=self.request.user)
        return gettext("Done: %(subject)s.") % {"subject": followup.subject}

    def do_followup_retry(self, case, data):
        if not self.request.user.has_perm("followups.resolve_followup"):
            raise PermissionDenied
        followup = followup_services.followup_move(
            followup=self._followup(case, data), actor=self.request.user, due_at=timezone.now()
        )
        return gettext("Trying again: %(subject)s.") % {"subject": followup.subject}

    def do_callback_promise(self, case, data):
        case = case_services.case_promise_callback(case=case, actor=self.request.user, at=data["at"], note=data["note"])
        when = timezone.localtime(case.promised_callback_at)
        said = gettext("Callback promised for %(when)s; you will be reminded before.")
        return said % {"when": f"{when:%a %-d %b, %H:%M}"}

    def do_callback_made(self, case, data):
        case_services.case_callback_made(case=case, actor=self.request.user, note=data["note"])
        return gettext("Callback recorded: the promise is kept.")


class CaseLinkView(CaseDetailView):
    """The case page's "link this case to an action" form. A refused link shows the case
    page again with the reason, like the case's own actions."""

    actions = {"corrective_link": LinkToActionForm}

    def get(self, request, *args, **kwargs):
        return redirect("cases:detail", pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        bound = kwargs.get("bound_forms", {})
        context = super().get_context_data(**kwargs)
        context["corrective_link_form"] = bound.get("corrective_link")
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("corrective.change_correctiveaction"):
            raise PermissionDenied
        response = super().post(request, *args, **kwargs)
        if response.status_code == 302:
            return HttpResponseRedirect(reverse("cases:detail", kwargs={"pk": self.kwargs["pk"]}) + "#corrective")
        return response

    def do_corrective_link(self, case, data):
        action = actions_visible_to(self.request.user).filter(pk=data["corrective_action"]).first()
        if action is None:
            raise ApplicationError(NOT_YOUR_ACTION)
        _link, created = corrective_services.corrective_action_link_case(
            action=action, case=case, actor=self.request.user
        )
        if not created:
            return gettext("Already linked to “%(title)s”.") % {"title": action.title}
        linked = gettext("Linked to “%(title)s”.") % {"title": action.title}
        return f"{linked} {told_when_done(case.customer)}"
