"""The dashboards the benchmark measures (see bench/registry.py): a full year of each."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from bench.registry import Request, page


def full_year(name: str = "dashboard:home") -> str:
    today = timezone.localdate()
    start = today - timedelta(days=364)
    return f"{reverse(name)}?{urlencode({'start': start.isoformat(), 'end': today.isoformat()})}"


# The owner on the whole business, a manager on their location: the last twelve months.
page("dashboard_owner", lambda s: Request(s.owner, full_year()))
page("dashboard_manager", lambda s: Request(s.manager, full_year()))
# What works: the owner, the whole business, the last twelve months.
page("what_works", lambda s: Request(s.owner, full_year("dashboard:what_works")))
