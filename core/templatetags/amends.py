import uuid

from django import template

from core.links import absolute_url
from core.money import format_money
from core.security import STYLE_HASHES_ATTRIBUTE, inline_style_sources

register = template.Library()

# A badge counts up to here and then says "99+": counting every failed message of a large
# business on every page cost a third of a second; nobody reads past 99 in a badge.
BADGE_CAP = 100


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def absolute(path: str) -> str:
    """A path on this site as a link that works from a mail client (core.links.absolute_url)."""
    return absolute_url(str(path))


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for sorting and paging)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.filter
def badge(count: int) -> str:
    """A count for a badge: "99+" from BADGE_CAP on (the badges count no further)."""
    return f"{BADGE_CAP - 1}+" if count >= BADGE_CAP else str(count)


@register.filter
def field_choice_label(field) -> str:
    """The label of a choice field's current value ("First contact late or missing")."""
    return dict(field.field.choices).get(field.value(), "")


@register.filter
def add_class(field, css: str):
    """Render a form field with extra CSS classes (for hand-laid-out forms)."""
    existing = field.field.widget.attrs.get("class", "")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


@register.simple_tag
def new_token() -> str:
    """A one-time token for a form, so that the same submit twice does one thing."""
    return str(uuid.uuid4())


@register.filter
def choices_of(field) -> list:
    """A field's choices as a list: one query for a model choice field, and no COUNT first
    (the for tag would ask the iterator for its length)."""
    return [choice for choice in field.field.choices]  # noqa: C416 - list() would ask for the length: a COUNT


@register.inclusion_tag("includes/email_preview.html", takes_context=True)
def email_preview(context, html: str, title: str, css_class: str = ""):
    """An email shown as it will look, in a sandboxed frame. The frame inherits the page's
    Content-Security-Policy, so the email's own inline styles are allowed by their hashes
    on this response only (core.security.SecurityHeadersMiddleware)."""
    request = context.get("request")
    if request is not None:
        known = getattr(request, STYLE_HASHES_ATTRIBUTE, [])
        setattr(request, STYLE_HASHES_ATTRIBUTE, known + [s for s in inline_style_sources(html) if s not in known])
    return {"html": html, "title": title, "css_class": css_class}
