"""`manage.py check --deploy`: what would make a production site's messages lead nowhere."""

from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register

LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "0.0.0.0"}  # noqa: S104 (a name compared, nothing bound)


@register(Tags.security, deploy=True)
def messages_reach_people(app_configs, **kwargs) -> list[Warning]:
    """Links in emails and texts start with AMENDS_PUBLIC_URL, and mail comes from
    DEFAULT_FROM_EMAIL: left at their local defaults, every link and reply goes nowhere."""
    warnings = []
    if urlsplit(settings.AMENDS_PUBLIC_URL).hostname in LOCAL_HOSTS:
        warnings.append(
            Warning(
                f"AMENDS_PUBLIC_URL is {settings.AMENDS_PUBLIC_URL}: links in messages would lead to this machine.",
                hint="Set AMENDS_PUBLIC_URL to the address people reach Amends at (see .env.example).",
                id="amends.W001",
            )
        )
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2]
    if domain in LOCAL_HOSTS or "." not in domain:
        warnings.append(
            Warning(
                f"DEFAULT_FROM_EMAIL is {settings.DEFAULT_FROM_EMAIL}: mail would come from an address nobody reads.",
                hint="Set DEFAULT_FROM_EMAIL (and each location's sender) to an address replies reach.",
                id="amends.W002",
            )
        )
    return warnings
