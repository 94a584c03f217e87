from django import forms

from core.forms import CharField, IntegerField


class InboundPostForm(forms.Form):
    """Mailgun's "forward raw MIME" POST (a route whose URL ends in `mime`): the message as sent,
    and the signature fields (https://documentation.mailgun.com/docs/mailgun/user-manual/receive-forward-store/receive-http).
    The message is not held to core's "no control characters": raw mail may carry them (an
    ISO-2022-JP body's escapes), and it is parsed, never shown as typed."""

    timestamp = IntegerField(min_value=0)
    token = CharField(max_length=200)
    signature = CharField(max_length=128)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named with a hyphen by the provider: not a Python identifier, so added here.
        self.fields["body-mime"] = forms.CharField(strip=False)
