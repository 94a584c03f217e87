from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .services import NOTHING
from .validation import size_words

# What the file picker offers; the content decides what is kept (attachments.validation).
ACCEPT = "image/jpeg,image/png,image/webp,image/gif,application/pdf,.jpg,.jpeg,.png,.webp,.gif,.pdf"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern for `multiple`)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def limits_help() -> str:
    return gettext(
        "Photos (JPEG, PNG, WebP, GIF) or PDF documents, up to %(size)s each, %(count)s at a time. "
        "Photos are stored without their location data."
    ) % {"size": size_words(settings.AMENDS_ATTACHMENT_MAX_BYTES), "count": settings.AMENDS_ATTACHMENTS_PER_UPLOAD}


class AttachmentForm(forms.Form):
    """Staff attaching files on the case page."""

    upload = MultipleFileField(label=_("Attach photos or documents"), error_messages={"required": NOTHING})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = limits_help()
