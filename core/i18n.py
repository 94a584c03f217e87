"""The type of text people read: a string, or one marked for translation (gettext_lazy) that is
translated when shown. django-stubs names it; at run time it is what it stands for."""

from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise
else:
    StrOrPromise = str | Promise

__all__ = ["StrOrPromise"]
