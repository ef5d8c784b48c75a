"""Background jobs of the platform itself (the modules keep theirs in their own tasks.py)."""

from django_tasks import task

from .maintenance import refresh_planner_statistics


@task()
def analyze_database() -> float:
    return refresh_planner_statistics()
