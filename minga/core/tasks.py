"""Background jobs of the platform itself (the modules keep theirs in their own tasks.py)."""

from django_tasks import task

from .jobs.recovery import recover
from .maintenance import refresh_planner_statistics


@task()
def analyze_database() -> float:
    return refresh_planner_statistics()


@task()
def recover_jobs() -> dict[str, int]:
    """Every minute: fail the jobs whose worker died and let modules repair what they left."""
    return recover()
