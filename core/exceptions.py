"""The one family of errors a user can cause (HackSoft styleguide)."""


class ApplicationError(Exception):
    """A rule of the domain said no. `message` is safe to show to the user.

    `field` names the form field the message belongs next to, if any.
    """

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}
