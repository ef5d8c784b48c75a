"""`minga worker` runs queued jobs from the database queue with no broker."""

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import TaskResultStatus

from minga.core.audit.services import record
from minga.core.audit.tasks import verify_audit_chains

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_worker_runs_a_queued_job(government):
    record(actor=None, government=government, action="core.test.done")
    result = verify_audit_chains.enqueue()
    assert result.status == TaskResultStatus.READY
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == []
