"""`Authorization: Bearer amd_…`: the API's one way in. No session: a page cannot be made to call
the API with a signed-in person's cookie (so there is no CSRF to forget), and a request has
exactly the rights its token gives."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from .selectors import token_for
from .services import token_touch

BAD_HEADER = _("Send the token as “Authorization: Bearer amd_…”.")
BAD_TOKEN = _("This token is not valid: it is mistyped, revoked or expired.")


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword:
            return None
        if len(words) != 2:
            raise AuthenticationFailed(BAD_HEADER)
        try:
            secret = words[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise AuthenticationFailed(BAD_TOKEN) from error
        now = timezone.now()
        token = token_for(secret, now)
        if token is None:
            raise AuthenticationFailed(BAD_TOKEN)
        token_touch(token=token, now=now)
        return token.user, token

    def authenticate_header(self, request) -> str:
        # A 401 (not a 403) to a request without a token, saying how to send one.
        return 'Bearer realm="api"'
