"""How the catalog's services queue its background jobs: by the dotted path each task is
registered under in ``tasks.py`` (the name stored with every queued job, and the way core's
scheduler enqueues periodic jobs). The services that queue work therefore never import
``tasks.py``, which imports them to do the work."""

from __future__ import annotations

from django.utils.module_loading import import_string

LOAD_RESOURCE = "minga.catalog.tasks.load_resource"
REFRESH_RESOURCE = "minga.catalog.tasks.refresh_resource"
PUBLISH_MODULE_TABLES = "minga.catalog.tasks.publish_module_tables"


def enqueue(task_path: str, *args):
    """Queue one run of the task registered under ``task_path`` with these arguments."""
    return import_string(task_path).enqueue(*args)
