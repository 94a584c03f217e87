"""Follow-up pages: staff's own list, failed messages, and the owner's wording of messages to
customers (the case page's follow-up actions are on the top floor, desk/views/actions.py).
Views translate; services decide."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from core.exceptions import ApplicationError
from core.languages import default_language, language_choices

from .forms import (
    FollowUpRetryForm,
    MessageLanguageForm,
    MessageTemplateForm,
)
from .messages import EDITABLE, Wording, compose
from .models import MessageTemplate
from .placeholders import PLACEHOLDERS
from .plans import Purpose
from .selectors import failed_followups, followups_for
from .services import followups_retry
from .wording import builtin_in, message_template_reset, message_template_save, sample_values, wording_in_force


class FollowUpListView(PermissionRequiredMixin, TemplateView):
    """What waits for me; for managers, also what could not be sent at their locations, which
    they try again in bulk (the ticked ones, or every one shown)."""

    request: AuthenticatedHttpRequest

    template_name = "followups/followup_list.html"
    permission_required = "followups.view_followup"

    def get_context_data(self, **kwargs):
        user = self.request.user
        can_resolve = user.has_perm("followups.resolve_followup")
        retry_form = kwargs.pop("retry_form", None)
        return super().get_context_data(
            mine=list(followups_for(user)[:100]),
            failed=list(failed_followups(user)[:100]) if can_resolve else [],
            can_resolve=can_resolve,
            retry_form=retry_form,
            ticked=set(retry_form.cleaned_data.get("followup") or []) if retry_form is not None else set(),
            now=timezone.now(),
            **kwargs,
        )

    def post(self, request: AuthenticatedHttpRequest):
        if not request.user.has_perm("followups.resolve_followup"):
            raise PermissionDenied
        form = FollowUpRetryForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(retry_form=form), status=400)
        # Only what this manager sees as failed: another location's id is passed over.
        visible = failed_followups(request.user).filter(pk__in=form.chosen()).values_list("pk", flat=True)
        try:
            retried = followups_retry(followup_ids=list(visible), actor=request.user)
        except ApplicationError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(retry_form=form), status=400)
        if retried:
            count = len(retried)
            said = ngettext("Trying again: %(count)d follow-up.", "Trying again: %(count)d follow-ups.", count)
            messages.success(request, said % {"count": count})
        else:
            messages.info(request, _("Nothing to try again: those follow-ups were tried again or cancelled already."))
        return redirect("followups:list")


class MessageTemplateListView(PermissionRequiredMixin, TemplateView):
    """The messages customers get, in the owner's words or the built-in ones."""

    request: AuthenticatedHttpRequest

    template_name = "followups/message_list.html"
    permission_required = "followups.view_messagetemplate"

    def get_context_data(self, **kwargs):
        owned = {(row.purpose, row.language): row for row in MessageTemplate.objects.select_related("updated_by")}
        default = default_language()
        rows = [
            {
                "purpose": purpose,
                "wording": owned.get((purpose.value, default)) or builtin_in(purpose, default),
                "owned": owned.get((purpose.value, default)),
                "languages": [
                    {"code": code, "name": name, "owned": owned.get((purpose.value, code))}
                    for code, name in language_choices()
                ],
            }
            for purpose in EDITABLE
        ]
        return super().get_context_data(rows=rows, **kwargs)


class MessageTemplateEditView(PermissionRequiredMixin, TemplateView):
    """Edit one message with a preview; save, or go back to the built-in wording."""

    request: AuthenticatedHttpRequest

    template_name = "followups/message_edit.html"
    permission_required = "followups.view_messagetemplate"

    def dispatch(self, request, *args, **kwargs):
        try:
            self.purpose = Purpose(kwargs["purpose"])
        except ValueError as error:
            raise Http404 from error
        if self.purpose not in EDITABLE:
            raise Http404
        self.language = MessageLanguageForm(request.GET).chosen()
        return super().dispatch(request, *args, **kwargs)

    def _preview(self, wording: Wording):
        """What a customer who reads the page's language gets (the layout's words and the date too)."""
        with translation.override(self.language):
            return compose(wording, sample_values(self.purpose, self.language))

    def get_context_data(self, **kwargs):
        kwargs.pop("purpose", None)  # the URL's text; the view's own is the Purpose
        wording, is_default = wording_in_force(self.purpose, self.language)
        if "form" not in kwargs:
            kwargs["form"] = MessageTemplateForm(initial={"subject": wording.subject, "body": wording.body})
            kwargs["preview"] = self._preview(wording)
        customised = set(MessageTemplate.objects.filter(purpose=self.purpose.value).values_list("language", flat=True))
        return super().get_context_data(
            purpose=self.purpose,
            language=self.language,
            language_name=dict(language_choices())[self.language],
            languages=[
                {"code": code, "name": name, "customised": code in customised} for code, name in language_choices()
            ],
            placeholders=PLACEHOLDERS,
            can_edit=self.request.user.has_perm("followups.change_messagetemplate"),
            is_default=is_default,
            **kwargs,
        )

    def post(self, request, purpose):
        if not request.user.has_perm("followups.change_messagetemplate"):
            raise PermissionDenied
        if request.POST.get("do") == "reset":
            message_template_reset(purpose=self.purpose, language=self.language, actor=request.user)
            messages.success(
                request,
                _("“%(message)s” in %(language)s is back to the built-in wording.")
                % {"message": _(self.purpose.label), "language": dict(language_choices())[self.language]},
            )
            return redirect("followups:messages")
        form = MessageTemplateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        wording = Wording(form.cleaned_data["subject"], form.cleaned_data["body"])
        if request.POST.get("do") == "preview":
            return self.render_to_response(self.get_context_data(form=form, preview=self._preview(wording)))
        message_template_save(purpose=self.purpose, language=self.language, wording=wording, actor=request.user)
        messages.success(
            request,
            _("Saved: customers who read %(language)s now get your wording of “%(message)s”.")
            % {"message": _(self.purpose.label), "language": dict(language_choices())[self.language]},
        )
        return redirect(reverse("followups:messages"))
