"""Follow-up forms: they validate and render; the services decide and write."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from core import forms as core_forms
from core.forms import INT_MAX, MAX_TEXT, local_datetime_input, parse_int
from core.languages import default_language, language_choices

from .messages import check_placeholders
from .placeholders import PLACEHOLDERS
from .plans import MANUAL_RECIPIENTS

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

WHEN_REQUIRED = {
    "required": _("Choose a date and time."),
    "invalid": _("Enter a date and time, e.g. 24/11/2026 14:30."),
}
# Whom a reminder goes to, in the reader's language (plans.py keeps them in English, marked).
RECIPIENT_CHOICES = [(value, _(label)) for value, label in MANUAL_RECIPIENTS]
SUBJECT_REQUIRED = {"required": _("A message needs a subject.")}
BODY_REQUIRED = {"required": _("Write the message.")}


def placeholders_help(names: Iterable[str]) -> "StrOrPromise":
    """The help beside a message's words: the placeholders they may hold (in the reader's language)."""
    return format_lazy(_("Placeholders: {names}"), names=", ".join(f"{{{{ {name} }}}}" for name in names))


class FollowUpAddForm(forms.Form):
    """Staff plan a reminder by hand: for themselves, the assignee, or the location's managers."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    subject = core_forms.CharField(
        label=_("What to do"), max_length=200, error_messages={"required": _("Say what the follow-up is for.")}
    )
    due_at = core_forms.DateTimeField(label=_("When"), widget=local_datetime_input(), error_messages=WHEN_REQUIRED)
    who = forms.ChoiceField(label=_("Remind"), choices=RECIPIENT_CHOICES, initial="assignee")
    body = core_forms.CharField(label=_("Note (optional)"), required=False, max_length=MAX_TEXT)


class FollowUpPickForm(forms.Form):
    """A follow-up of this case, named by its id: cancel, mark done, try again."""

    followup = core_forms.IdField(widget=forms.HiddenInput)


class IdsField(forms.Field):
    """Several rows' ids (checkboxes or hidden fields of one name); none is an empty list."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": _("That is not a follow-up on this page.")}

    def to_python(self, value):
        ids = [parse_int(text) for text in value or []]
        if any(pk is None or not 0 < pk <= INT_MAX for pk in ids):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return list(dict.fromkeys(ids))


NONE_TICKED = _("Tick the follow-ups to try again, or try all of them.")


class FollowUpRetryForm(forms.Form):
    """The failed follow-ups a manager ticked, or every one the page showed, to try again."""

    followup = IdsField(required=False)
    shown = IdsField(required=False)
    do = forms.ChoiceField(choices=[("ticked", "ticked"), ("shown", "shown")])

    def clean(self):
        cleaned = super().clean() or {}
        if "do" in cleaned and not self.chosen():
            raise forms.ValidationError(NONE_TICKED)
        return cleaned

    def chosen(self) -> list[int]:
        return self.cleaned_data.get("shown" if self.cleaned_data.get("do") == "shown" else "followup") or []


class FollowUpMoveForm(FollowUpPickForm):
    due_at = core_forms.DateTimeField(label=_("New time"), widget=local_datetime_input(), error_messages=WHEN_REQUIRED)


class CallbackPromiseForm(forms.Form):
    at = core_forms.DateTimeField(label=_("Call back at"), widget=local_datetime_input(), error_messages=WHEN_REQUIRED)
    note = core_forms.CharField(label=_("What was promised (optional)"), required=False, max_length=MAX_TEXT)


class CallbackMadeForm(forms.Form):
    note = core_forms.CharField(label=_("How it went (optional)"), required=False, max_length=MAX_TEXT)


class MessageLanguageForm(forms.Form):
    """Which language's wording of a message the page shows (?language=fr)."""

    language = forms.ChoiceField(choices=language_choices, required=False)

    def chosen(self) -> str:
        """The language asked for; LANGUAGE_CODE's for none, or one we do not write in."""
        return (self.is_valid() and self.cleaned_data["language"]) or default_language()


class CheckedPlaceholders:
    """A form's subject and body refuse a {{ placeholder }} the messages do not know."""

    cleaned_data: dict

    def clean_subject(self):
        return self._checked("subject")

    def clean_body(self):
        return self._checked("body")

    def _checked(self, name):
        text = self.cleaned_data[name]
        try:
            check_placeholders(text)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return text


class MessageTemplateForm(CheckedPlaceholders, forms.Form):
    """The owner's wording of a message to customers."""

    subject = core_forms.CharField(max_length=200, error_messages=SUBJECT_REQUIRED)
    body = core_forms.CharField(
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages=BODY_REQUIRED,
        help_text=placeholders_help(PLACEHOLDERS),
    )
