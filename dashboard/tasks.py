"""Dashboard tasks: interfaces only."""

from celery import shared_task

from .rollups import rollups_refresh


# The first run after a deploy rebuilds everything: minutes on a large database.
@shared_task(name="dashboard.refresh", ignore_result=True, soft_time_limit=20 * 60, time_limit=25 * 60)
def rollups_refresh_task() -> int:
    """Every minute (beat): recompute the days whose cases changed."""
    return rollups_refresh()
