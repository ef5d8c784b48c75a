"""`minga worker`: the database task worker (django-tasks-db's `db_worker`) plus the scheduler,
which enqueues due periodic jobs every minute from a thread of the same process. Several
workers may run at once: each job is claimed by one of them (`scheduling.services.tick`).

`--stop-with-parent` is what `minga serve` uses: the worker exits when the process that
started it (gunicorn, after `serve` replaced itself) is gone."""

import logging
import os
import signal
import threading

from django.db import connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from minga.core.scheduling.services import tick

logger = logging.getLogger("minga.scheduling")
TICK_SECONDS = 60
PARENT_CHECK_SECONDS = 2


def _scheduler(stop: threading.Event, *, schedule: bool, parent: int | None) -> None:
    waited = TICK_SECONDS
    while not stop.is_set():
        if parent is not None and os.getppid() != parent:
            logger.info("parent process gone; stopping the worker")
            os.kill(os.getpid(), signal.SIGTERM)
            return
        if schedule and waited >= TICK_SECONDS:
            waited = 0
            try:
                names = tick()
                if names:
                    logger.debug("enqueued periodic jobs: %s", ", ".join(names))
            except Exception:
                logger.exception("scheduler tick failed")
            finally:
                connections.close_all()  # this thread's connections only
        stop.wait(PARENT_CHECK_SECONDS)
        waited += PARENT_CHECK_SECONDS


class Command(DbWorkerCommand):
    help = "Run background jobs from the database queue and enqueue periodic jobs when due."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--no-scheduler", action="store_false", dest="scheduler", help="Only run queued jobs.")
        parser.add_argument(
            "--stop-with-parent", action="store_true", help="Exit when the process that started this one ends."
        )
        # Reloading would run the scheduler thread in the watching process, not the worker.
        parser.set_defaults(reload=False)

    def handle(self, *args, scheduler=True, stop_with_parent=False, **options):
        stop = threading.Event()
        if options.get("batch"):
            if scheduler:
                tick()  # one pass, then run what is queued (tests and one-off runs)
        elif scheduler or stop_with_parent:
            parent = os.getppid() if stop_with_parent else None
            threading.Thread(
                target=_scheduler,
                args=(stop,),
                kwargs={"schedule": scheduler, "parent": parent},
                daemon=True,
                name="minga-scheduler",
            ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
