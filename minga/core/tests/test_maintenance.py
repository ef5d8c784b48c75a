"""The planner's statistics: refreshed on demand, daily, and after the demo."""

import pytest
from django.db import connection

from minga.core import maintenance
from minga.core.scheduling.services import periodic_jobs

pytestmark = pytest.mark.django_db


def _has_statistics() -> bool:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
            return cursor.fetchone() is not None
        cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = 'core_government'")
        return cursor.fetchone()[0] > 0


def test_statistics_are_refreshed(government):
    maintenance.refresh_planner_statistics()
    assert _has_statistics()


def test_the_refresh_is_a_daily_job():
    jobs = {job.name: job for job in periodic_jobs()}
    assert jobs["core.analyze_database"].task == "minga.core.tasks.analyze_database"
    assert jobs["core.analyze_database"].every.days == 1
