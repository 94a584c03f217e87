"""The one family of errors a user can cause (HackSoft styleguide)."""

from .i18n import StrOrPromise


class ApplicationError(Exception):
    """A rule of the domain said no. `message` is safe to show to the user: given as a string or
    marked for translation (gettext_lazy), it is read in the language of the request it is
    raised in, the one that shows it.

    `field` names the form field the message belongs next to, if any.
    """

    def __init__(self, message: StrOrPromise, *, field: str | None = None, extra: dict | None = None):
        self.message = str(message)
        super().__init__(self.message)
        self.field = field
        self.extra = extra or {}


class ChangedSince(ApplicationError):
    """The rule said no because the row changed since the person read it (someone else decided,
    a newer revision): a page shows it as it stands now; the API answers 409."""
