"""The one body the API reads: JSON, with the ways it can fail all a 400 problem."""

from django.utils.translation import gettext_lazy as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

TOO_DEEP = _("The JSON is nested too deeply.")


class JSONParser(parsers.JSONParser):
    """REST framework's parser; a body nested thousands deep (which Python's json reads by
    recursion) is a 400 like any other malformed JSON, not a crash."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(TOO_DEEP) from error
