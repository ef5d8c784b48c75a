"""The services queue jobs by the dotted path their task is registered under: each path must
name a task of tasks.py, under that very name (queued jobs are stored with it)."""

import pytest
from django.utils.module_loading import import_string

from .. import jobs, tasks


@pytest.mark.parametrize("path", [jobs.LOAD_RESOURCE, jobs.REFRESH_RESOURCE, jobs.PUBLISH_MODULE_TABLES])
def test_job_paths_name_registered_tasks(path):
    task = import_string(path)
    assert task.module_path == path
    assert getattr(tasks, path.rsplit(".", 1)[1]) is task
