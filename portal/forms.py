import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from accounts.models import Location
from cases.models import Category
from cases.services import REPORT_EMPTY, REPORT_MAX_LENGTH
from core import forms as core_forms
from core.languages import language_choices
from customers.contact import PHONE_MAX_TYPED
from customers.forms import CustomerFieldsMixin

from .languages import customer_words
from .models import COMMENT_MAX_LENGTH, RATING_CHOICES, RATING_QUESTION, RETURN_QUESTION, SatisfactionResponse
from .services import COMMENT_TOO_LONG, SelfReport

# Customer-facing: in English here (tests reuse them), translated (lazily) where the form uses
# them, so each is read in the language of the page it is shown on.
NAME_NEEDED = gettext_noop("Tell us your name, so we know who to ask for.")
CONTACT_NEEDED = gettext_noop("Give an email address or a phone number, so we can get back to you.")
CONSENT_NEEDED = gettext_noop("Tick this so we may get back to you: we cannot put things right without it.")

RATING_NEEDED = gettext_noop("Choose how well we put things right, from 1 to 5.")
RETURN_NEEDED = gettext_noop("Tell us whether you will come back: yes, not sure or no.")


class SatisfactionForm(forms.Form):
    """Two questions (how well we put things right, "will you come back?") and an optional comment:
    the satisfaction email says "two quick questions" (a test holds the two together).

    Rendered by hand in templates/portal/case.html rather than by crispy-forms: the
    scale is a row of large radio buttons inside a fieldset, which reads better on a
    phone than a column of small ones.
    """

    rating = forms.TypedChoiceField(
        label=RATING_QUESTION,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _(RATING_NEEDED), "invalid_choice": _(RATING_NEEDED)},
    )
    will_return = forms.ChoiceField(
        label=RETURN_QUESTION,
        choices=SatisfactionResponse.WillReturn.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _(RETURN_NEEDED), "invalid_choice": _(RETURN_NEEDED)},
    )
    comment = core_forms.CharField(
        label=_("Anything you would like to add?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(_(COMMENT_TOO_LONG).format(length=f"{len(comment):,}"))
        return comment


class ReportForm(CustomerFieldsMixin, forms.Form):
    """The customer's own report on the location's public page: what went wrong and how to reach
    them, with an optional photo. Text only (portal.services.plain_text); `website` is a field
    no person sees or fills (a honeypot): a submit with it filled is taken for a robot's."""

    description = core_forms.CharField(
        label=_("What went wrong?"),
        max_length=REPORT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": REPORT_MAX_LENGTH}),
        error_messages={"required": _(REPORT_EMPTY)},
    )
    category = forms.ChoiceField(
        label=_("What was it about?"),
        required=False,
        choices=[("", _("Choose one if you like")), *Category.choices],
    )
    name = core_forms.CharField(label=_("Your name"), max_length=150, error_messages={"required": _(NAME_NEEDED)})
    email = forms.EmailField(label=_("Email"), max_length=254, required=False)
    phone = core_forms.CharField(label=_("Phone"), max_length=PHONE_MAX_TYPED, required=False)
    language = forms.ChoiceField(label=_("Language for our replies"), choices=language_choices, required=False)
    contact_consent = forms.BooleanField(
        label=_("You may contact me about this report."), error_messages={"required": _(CONSENT_NEEDED)}
    )
    photo = forms.FileField(
        label=_("A photo, if it helps"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )
    website = core_forms.CharField(label=_("Leave this empty"), required=False, max_length=200)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, location: Location, language: str, **kwargs):
        self.location = location
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission_token", uuid.uuid4())
        # The page's language unless they choose another for our replies.
        self.page_language = language
        self.initial.setdefault("language", language)

    def clean_phone(self) -> str:
        try:
            return self.clean_phone_value(self.cleaned_data["phone"], self.location)
        except forms.ValidationError as error:
            raise forms.ValidationError(customer_words(error.messages[0])) from error

    def clean(self):
        super().clean()
        data = self.cleaned_data
        typed_wrong = "email" in self.errors or "phone" in self.errors
        if not data.get("email") and not data.get("phone") and not typed_wrong:
            self.add_error("email", _(CONTACT_NEEDED))
        return data

    def is_robot(self) -> bool:
        """The honeypot was filled (read from the data: it counts even if the rest is invalid)."""
        return bool(str(self.data.get("website", "")).strip())

    def report(self) -> SelfReport:
        data = self.cleaned_data
        return SelfReport(
            description=data["description"],
            name=data["name"],
            email=data["email"],
            phone=data["phone"],
            contact_consent=data["contact_consent"],
            category=data["category"] or Category.OTHER.value,
            language=data.get("language") or self.page_language,
        )
