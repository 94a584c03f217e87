"""The case page's "Write to the customer" panel: start from a saved reply or from nothing,
preview exactly what the customer will read, then send. Each step is the case page again with
what was typed, so nothing is lost; a refusal says why beside the words. What is refused is the
service's to say (`message_check`, which `message_send` makes again): this view only asks."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from conversations import services
from conversations.forms import CHANNEL_CHOICES, MessageForm, MessagePickForm
from conversations.selectors import composer_panel, default_channel, message_preview, reply_for_case
from core.exceptions import ApplicationError

from .cases import UNKNOWN_ACTION, CaseDetailView

CHANGED_SINCE_PREVIEW = _("The message changed since its preview: check the preview, then send.")
PICK_A_REPLY = _("Choose a saved reply to start from.")


class CaseMessageView(CaseDetailView):
    """Posts of the composer: `message_pick` (fill in a saved reply), `message_preview`, `message_send`."""

    def get(self, request, *args, **kwargs):
        return redirect("cases:detail", pk=self.kwargs["pk"])

    def post(self, request, *args, **kwargs):
        if not (request.user.has_perm("cases.change_case") and request.user.has_perm("followups.add_followup")):
            raise PermissionDenied
        case = self.get_case()
        action = request.POST.get("action", "")
        if action == "message_pick":
            return self.pick(case)
        if action not in ("message_preview", "message_send"):
            messages.error(request, UNKNOWN_ACTION)
            return redirect(case)
        form = MessageForm(request.POST)
        if not form.is_valid():
            return self.composer(case, form, status=400)
        data = form.cleaned_data
        try:
            if action == "message_send" and data["previewed"] == form.fingerprint():
                services.message_send(
                    case=case,
                    actor=request.user,
                    channel=data["channel"],
                    subject=data["subject"],
                    body=data["body"],
                    submission_token=data["submission_token"],
                    saved_reply_id=data["saved_reply"],
                )
                how = dict(CHANNEL_CHOICES)[data["channel"]].lower()
                said = gettext("Your message to %(name)s is on its way by %(how)s.")
                messages.success(request, said % {"name": case.customer.first_name, "how": how})
                return HttpResponseRedirect(reverse("cases:detail", kwargs={"pk": case.pk}) + "#messages")
            services.message_check(
                case=case, actor=request.user, channel=data["channel"], saved_reply_id=data["saved_reply"]
            )
            preview = message_preview(case, data["subject"], data["body"])
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.composer(case, form, status=400)
        note = CHANGED_SINCE_PREVIEW if action == "message_send" else ""
        return self.composer(case, form, preview=preview, fingerprint=form.fingerprint(), note=note)

    def pick(self, case):
        form = MessagePickForm(self.request.POST)
        if not form.is_valid():
            return redirect(case)
        reply = reply_for_case(case, form.cleaned_data["saved_reply"])
        initial = {
            "submission_token": form.cleaned_data["submission_token"],
            "channel": form.cleaned_data["channel"] or default_channel(case),
            "saved_reply": reply.pk if reply else None,
            "subject": reply.subject if reply else "",
            "body": reply.body if reply else "",
        }
        message_form = MessageForm(initial=initial)
        note = "" if reply or form.cleaned_data["saved_reply"] is None else PICK_A_REPLY
        return self.composer(case, message_form, note=note)

    def composer(self, case, form, *, status=200, preview=None, fingerprint="", note=""):
        panel = composer_panel(case, form, preview=preview, fingerprint=fingerprint, note=note, open=True)
        context = self.get_context_data(case=case, composer=panel)
        return self.render_to_response(context, status=status)
