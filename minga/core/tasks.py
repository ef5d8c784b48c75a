"""Background jobs of the platform itself (the modules keep theirs in their own tasks.py)."""

from django_tasks import task

from .jobs.recovery import recover
from .maintenance import refresh_planner_statistics
from .tenancy.models import Government
from .tenancy.scoping import government_scope
from .verification import rolls


@task()
def analyze_database() -> float:
    return refresh_planner_statistics()


@task()
def recover_jobs() -> dict[str, int]:
    """Every minute: fail the jobs whose worker died and let modules repair what they left."""
    return recover()


@task()
def census_roll_load(government_id: int, roll_id: int) -> str:
    """Insert the staged hashes of an uploaded census roll (core/verification/rolls.py)."""
    government = Government.objects.filter(pk=government_id).first()
    if government is None:
        return "gone"
    with government_scope(government):
        roll = rolls.roll_load(government=government, roll_id=roll_id)
        return roll.status if roll is not None else "gone"


@task()
def census_rolls_purge(government_id: int) -> int:
    """Delete the entries of the government's census rolls that are no longer in use."""
    government = Government.objects.filter(pk=government_id).first()
    if government is None:
        return 0
    with government_scope(government):
        return rolls.rolls_purge(government=government)
