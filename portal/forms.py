from django import forms

from core import forms as core_forms

from .models import COMMENT_MAX_LENGTH, RATING_CHOICES, RATING_QUESTION, RETURN_QUESTION, SatisfactionResponse
from .services import COMMENT_TOO_LONG

RATING_NEEDED = "Choose how well we put things right, from 1 to 5."
RETURN_NEEDED = "Tell us whether you will come back: yes, not sure or no."


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
        error_messages={"required": RATING_NEEDED, "invalid_choice": RATING_NEEDED},
    )
    will_return = forms.ChoiceField(
        label=RETURN_QUESTION,
        choices=SatisfactionResponse.WillReturn.choices,
        widget=forms.RadioSelect,
        error_messages={"required": RETURN_NEEDED, "invalid_choice": RETURN_NEEDED},
    )
    comment = core_forms.CharField(
        label="Anything you would like to add?",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": COMMENT_MAX_LENGTH}),
    )

    def clean_comment(self) -> str:
        comment = self.cleaned_data["comment"].strip()
        if len(comment) > COMMENT_MAX_LENGTH:
            raise forms.ValidationError(COMMENT_TOO_LONG.format(length=f"{len(comment):,}"))
        return comment
