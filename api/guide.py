"""The guide on the API's docs page: docs/api.md, then docs/webhooks.md, as the schema's
description, so that a developer who has never seen Amends can, from /api/docs/ alone, make a
token, log a case, follow it to closure and check a webhook's signature.

One text, kept in docs/ (where the repository's readers find it) and shown on the page by a
schema postprocessing hook: never two copies to drift apart. The part for whoever extends the
API ("Adding a resource") stays in the repository, and links to other files of docs/ are left
as their words (the page cannot follow them)."""

import re
from functools import cache

from django.conf import settings

GUIDES = ("api.md", "webhooks.md")
FOR_CONTRIBUTORS = "\n## Adding a resource"
_RELATIVE_LINK = re.compile(r"\[([^\]]+)\]\((?!https?://|#)[^)]*\)")


@cache
def guide() -> str:
    parts = []
    for name in GUIDES:
        text = (settings.BASE_DIR / "docs" / name).read_text(encoding="utf-8")
        parts.append(_RELATIVE_LINK.sub(r"\1", text.split(FOR_CONTRIBUTORS)[0]).strip())
    return "\n\n".join(parts)


def with_guide(result, generator, request, public):
    """drf-spectacular's POSTPROCESSING_HOOKS: the guide as the schema's description."""
    result["info"]["description"] = guide()
    return result
