"""Forms of the composer and the saved replies: they validate and render; services decide."""

import hashlib

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Location
from core import forms as core_forms
from core.forms import MAX_TEXT
from core.languages import default_language, language_choices
from followups.forms import BODY_REQUIRED, SUBJECT_REQUIRED, CheckedPlaceholders, placeholders_help
from followups.placeholders import PLACEHOLDERS

# What staff's own words may hold: the templates' placeholders but the details, which a
# template wraps around what staff wrote (here the words are the whole message).
STAFF_PLACEHOLDERS = {name: meaning for name, meaning in PLACEHOLDERS.items() if name != "details"}
CHANNEL_CHOICES = [("email", _("Email")), ("sms", _("Text message"))]


class SavedReplyForm(CheckedPlaceholders, forms.Form):
    title = core_forms.CharField(
        max_length=100, error_messages={"required": _("Give the reply a title staff will know it by.")}
    )
    subject = core_forms.CharField(max_length=200, error_messages=SUBJECT_REQUIRED)
    body = core_forms.CharField(
        label=_("Message"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages=BODY_REQUIRED,
        help_text=placeholders_help(STAFF_PLACEHOLDERS),
    )
    location = core_forms.ModelChoiceField(
        label=_("Offered at"), queryset=Location.objects.none(), required=False, empty_label=_("Every location")
    )
    language = forms.ChoiceField(
        label=_("Written in"),
        choices=language_choices,
        required=False,  # not sent: a new reply is in LANGUAGE_CODE's, a reply kept keeps its own
        help_text=_("Offered on the cases of customers who read this language."),
    )

    def __init__(self, *args, locations=None, every_location: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("language", default_language())
        field = self.fields["location"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = locations if locations is not None else Location.objects.none()
        if not every_location:
            # A manager keeps replies for a location of theirs: no "every location".
            field.required = True
            field.empty_label = None
            field.error_messages["required"] = gettext("Choose the location it is offered at.")


class MessageForm(CheckedPlaceholders, forms.Form):
    """Staff write to the customer: a saved reply to start from (or none), the channel, the words."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    saved_reply = core_forms.IdField(required=False, widget=forms.HiddenInput)
    channel = forms.ChoiceField(
        choices=CHANNEL_CHOICES, error_messages={"required": _("Choose email or a text message.")}
    )
    subject = core_forms.CharField(max_length=200, error_messages=SUBJECT_REQUIRED)
    body = core_forms.CharField(label=_("Message"), max_length=MAX_TEXT, error_messages=BODY_REQUIRED)
    # The fingerprint of what was previewed: a message is sent only as it was last previewed.
    previewed = core_forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def fingerprint(self) -> str:
        data = self.cleaned_data
        text = "\x1f".join([data["channel"], data["subject"].strip(), data["body"].strip()])
        return hashlib.sha256(text.encode()).hexdigest()


class MessagePickForm(forms.Form):
    """Start from a saved reply (the page fills the words in; without script, this does)."""

    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    saved_reply = core_forms.IdField(
        required=False, label=_("Start from"), error_messages={"invalid": _("Choose a saved reply.")}
    )
    channel = forms.ChoiceField(choices=CHANNEL_CHOICES, required=False)
