"""The periodic job that moves buffered use counters into daily rows."""

from django_tasks import task

from . import services


@task()
def flush_usage() -> int:
    """Every minute: move the use counters buffered in the cache into the daily rows."""
    return services.flush()
