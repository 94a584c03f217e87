"""Saved replies: the list, and a page to add, edit (with a preview), retire and restore one. For owners
and managers (permission conversations.add_savedreply); the services check whose each reply is."""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from accounts.http import AuthenticatedHttpRequest
from accounts.role import Role
from accounts.roles import locations_of, role_of
from core.exceptions import ApplicationError

from . import services
from .forms import STAFF_PLACEHOLDERS, SavedReplyForm
from .selectors import saved_replies_visible_to, saved_reply_preview, saved_reply_rows

# A new reply starts in LANGUAGE_CODE's language, the staff pages' own.
STARTER_BODY = gettext_lazy("Dear {{ first_name }},\n\n\n\n{{ signature }}")


class SavedReplyListView(PermissionRequiredMixin, TemplateView):
    request: AuthenticatedHttpRequest
    template_name = "conversations/saved_reply_list.html"
    permission_required = "conversations.add_savedreply"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=saved_reply_rows(self.request.user), **kwargs)


class SavedReplyEditView(PermissionRequiredMixin, TemplateView):
    """Add a reply (no pk) or edit one: Preview shows it with an example customer's details;
    Save keeps it; Retire stops offering it and Restore offers a retired one again. Someone who
    may not change it sees it read-only."""

    request: AuthenticatedHttpRequest

    template_name = "conversations/saved_reply_edit.html"
    permission_required = "conversations.add_savedreply"

    def dispatch(self, request, *args, **kwargs):
        self.reply = None
        if "pk" in kwargs and request.user.is_authenticated:
            self.reply = get_object_or_404(saved_replies_visible_to(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def can_edit(self) -> bool:
        return self.reply is None or services.may_keep(self.request.user, self.reply.location_id)

    def make_form(self, data=None):
        user = self.request.user
        initial: dict[str, object] = {"body": STARTER_BODY}
        if self.reply is not None:
            reply = self.reply
            initial = {
                "title": reply.title,
                "subject": reply.subject,
                "body": reply.body,
                "location": reply.location,
                "language": reply.language,
            }
        return SavedReplyForm(
            data,
            initial=initial,
            locations=locations_of(user, active_only=True).order_by("name"),
            every_location=role_of(user) is Role.OWNER,
        )

    def get_context_data(self, **kwargs):
        kwargs.pop("pk", None)
        if "form" not in kwargs:
            kwargs["form"] = self.make_form()
            if self.reply is not None:
                kwargs["preview"] = saved_reply_preview(self.reply.subject, self.reply.body, self.reply.language)
        return super().get_context_data(
            reply=self.reply, can_edit=self.can_edit(), placeholders=STAFF_PLACEHOLDERS, **kwargs
        )

    def post(self, request, *args, **kwargs):
        if not self.can_edit():
            raise PermissionDenied
        if request.POST.get("do") == "retire" and self.reply is not None:
            services.saved_reply_retire(reply=self.reply, actor=request.user)
            messages.success(request, _("“%(title)s” is no longer offered to staff.") % {"title": self.reply.title})
            return redirect("conversations:replies")
        if request.POST.get("do") == "restore" and self.reply is not None:
            services.saved_reply_restore(reply=self.reply, actor=request.user)
            messages.success(request, _("“%(title)s” is offered to staff again.") % {"title": self.reply.title})
            return redirect("conversations:replies")
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        data = form.cleaned_data
        if request.POST.get("do") == "preview":
            preview = saved_reply_preview(data["subject"], data["body"], data["language"])
            return self.render_to_response(self.get_context_data(form=form, preview=preview))
        values = {
            "title": data["title"],
            "subject": data["subject"],
            "body": data["body"],
            "location_id": data["location"].pk if data["location"] else None,
            "language": data["language"],
        }
        try:
            if self.reply is None:
                reply = services.saved_reply_create(actor=request.user, **values)
            else:
                reply = services.saved_reply_update(reply=self.reply, actor=request.user, **values)
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, _("Saved: staff can start a message from “%(title)s”.") % {"title": reply.title})
        return redirect("conversations:replies")
