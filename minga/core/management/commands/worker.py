"""`minga worker`: the database task worker (django-tasks-db's `db_worker`) plus the scheduler,
which enqueues due periodic jobs every minute from a thread of the same process. Several
workers may run at once: each job is claimed by one of them (`scheduling.services.tick`).

Each task runs under a lease (`task:<id>`, core/jobs/) that the process renews while it works,
so a worker killed mid-task leaves a lease that expires instead of a task RUNNING for ever.
On start the worker first repairs what dead workers left (`jobs.recovery.recover`), then
serves the queue; the periodic job `core.recover_jobs` repeats the repair every minute.

`--stop-with-parent` is what `minga serve` uses: the worker exits when the process that
started it (gunicorn, after `serve` replaced itself) is gone."""

import contextvars
import logging
import os
import signal
import threading

from django.core.management.base import CommandError
from django.db import DatabaseError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from minga.core.jobs import leases
from minga.core.jobs.recovery import recover, task_lease_name
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


class LeasedWorker(Worker):
    """django-tasks-db's worker, holding a lease on each task while it runs it."""

    def run_task(self, db_task_result) -> None:
        name = task_lease_name(db_task_result.id)
        try:
            leases.acquire(name=name)
        except (leases.LeaseHeld, DatabaseError):
            logger.exception("task %s runs without a lease", db_task_result.id)
        try:
            # In a context of its own: what the read-replica router notes about this task
            # (core/db_routing.py) ends with it.
            contextvars.copy_context().run(super().run_task, db_task_result)
        finally:
            try:
                leases.release(name=name)
            except DatabaseError:  # it expires; the task already has its outcome
                logger.exception("lease of task %s could not be released", db_task_result.id)


def _recover_at_start() -> None:
    try:
        repaired = recover()
    except Exception:
        logger.exception("start-up recovery failed")
        return
    if any(repaired.values()):
        logger.warning("start-up recovery: %s", repaired)


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
        _recover_at_start()
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
            self._run_worker(**options)
        finally:
            stop.set()

    def _run_worker(
        self, *, verbosity, queue_name, interval, batch, backend_name, startup_delay, reload, max_tasks, **options
    ):
        """``db_worker``'s own ``handle``, with the worker that holds leases."""
        self.configure_logging(verbosity)
        exclude_queues = options.get("exclude_queues") or ""
        queue_names = queue_name.split(",")
        excluded = exclude_queues.split(",") if exclude_queues else []
        if excluded and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = LeasedWorker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=options["worker_id"],
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
