"""Links that leave the app: in an email, a text message or a digest a path such as
"/cases/1/" goes nowhere, so every link a message carries is built here, from the one
setting for the site's address (AMENDS_PUBLIC_URL), never from a request's Host header."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """The address of a page on this site: AMENDS_PUBLIC_URL followed by the path.
    An address that is already absolute is returned as it is."""
    if not path.startswith("/"):
        if "://" in path:
            return path
        raise ValueError(f"Not a path on this site: {path!r}")
    return settings.AMENDS_PUBLIC_URL + path
