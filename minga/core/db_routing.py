"""Reads from PostgreSQL read replicas, writes to the primary.

With ``MINGA_DATABASE_REPLICA_URLS`` set, the settings add one database alias per replica
(``replica1``, ``replica2``, …, listed in ``settings.DATABASE_REPLICAS``) and
``ReplicaRouter`` decides, query by query, where each goes:

- Writes (``save()``, ``create()``, ``update()``, ``delete()``, ``get_or_create()``,
  ``select_for_update()``) always go to the primary (``default``).
- A read goes to a replica only inside a *unit of work* (a web request, a background job)
  that has not written yet, and never inside a transaction (``transaction.atomic()``): a
  transaction reads and writes one consistent primary. Each unit reads from one replica,
  chosen at random when it starts.
- Once a unit writes, it reads its own writes: every later read of that request or job goes
  to the primary.
- A request with a method that changes things (POST, PUT, PATCH, DELETE) reads from the
  primary from its start, so that what it checks before writing is current. After a request
  that wrote, the browser gets a short cookie (``PIN_COOKIE``, for
  ``DATABASE_PRIMARY_PIN_SECONDS``) under which its next requests read from the primary too:
  the page shown after a form's redirect shows the change even while the replicas lag.
- A job enqueued less than ``DATABASE_PRIMARY_PIN_SECONDS`` ago reads from the primary from
  its start (what enqueued it has just written what the job loads); an older one reads from a
  replica until it writes.
- Outside a request or a job (management commands, the worker's own queue handling, the
  scheduler) everything goes to the primary.
- Migrations run only on the primary.
- What fills a shared cache reads from the primary: the government and host lookups
  (``primary_reads()``), and for ``DATABASE_PRIMARY_PIN_SECONDS`` after an official's change
  every request of that government (``core.ui.page_cache``), so that neither a cached page
  nor a process memo kept under the new content version predates the change.

Without replicas (the default) the router has no opinion and everything uses ``default``, as
if it were not installed. Code that writes with raw SQL outside the ORM calls
``mark_written()`` so that the rest of its unit reads from the primary.
"""

from __future__ import annotations

import contextlib
import contextvars
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import dj_database_url
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

PIN_COOKIE = "minga_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def replica_databases(urls: str, **options) -> dict[str, dict]:
    """``DATABASES`` entries for the replicas of ``MINGA_DATABASE_REPLICA_URLS`` (URLs separated
    by spaces or commas), named ``replica1``, ``replica2``, … Each is a test mirror of the
    primary, so a test run never creates a database on a replica."""
    entries = {}
    for number, url in enumerate((u for u in re.split(r"[\s,]+", urls) if u), start=1):
        config = dj_database_url.parse(url, **options)
        config["TEST"] = {"MIRROR": DEFAULT_DB_ALIAS}
        entries[f"replica{number}"] = config
    return entries


def replicas() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


@dataclass
class UnitOfWork:
    """One request or job: the replica it reads from (``None``: the primary) and whether it wrote."""

    replica: str | None
    wrote: bool = False
    parent: UnitOfWork | None = None
    task_id: str | None = None


_current: contextvars.ContextVar[UnitOfWork | None] = contextvars.ContextVar("minga_db_unit", default=None)


def _begin(*, pinned: bool, parent: UnitOfWork | None = None, task_id: str | None = None) -> UnitOfWork:
    aliases = replicas()
    if pinned or not aliases or (parent is not None and parent.replica is None):
        return UnitOfWork(replica=None, parent=parent, task_id=task_id)
    return UnitOfWork(replica=random.choice(aliases), parent=parent, task_id=task_id)  # noqa: S311 - spreading load


@contextlib.contextmanager
def unit_of_work(*, pinned: bool = False) -> Iterator[UnitOfWork]:
    """Run the block as one unit: reads from a replica until it writes (or from the primary
    throughout with ``pinned=True``)."""
    unit = _begin(pinned=pinned, parent=_current.get())
    token = _current.set(unit)
    try:
        yield unit
    finally:
        _current.reset(token)
        if unit.wrote and unit.parent is not None:
            _wrote(unit.parent)


def _wrote(unit: UnitOfWork) -> None:
    unit.wrote = True
    unit.replica = None


def mark_written() -> None:
    """The current request or job wrote: its later reads go to the primary."""
    unit = _current.get()
    if unit is not None:
        _wrote(unit)


def use_primary() -> None:
    """The rest of the current request or job reads from the primary (without counting as a write)."""
    unit = _current.get()
    if unit is not None:
        unit.replica = None


@contextlib.contextmanager
def primary_reads() -> Iterator[None]:
    """Reads in the block go to the primary: for what is then kept in a shared cache, which a
    replica that lags behind would fill with what was just changed."""
    unit = _current.get()
    saved = None if unit is None else unit.replica
    if unit is not None:
        unit.replica = None
    try:
        yield
    finally:
        if unit is not None and not unit.wrote and unit.replica is None:
            unit.replica = saved


def read_alias() -> str:
    """Where a read issued now goes."""
    unit = _current.get()
    if unit is None or unit.replica is None or connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return unit.replica


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry; answers nothing (so ``default``) when there are no replicas."""

    def db_for_read(self, model, **hints):
        if not replicas():
            return None
        return read_alias()

    def db_for_write(self, model, **hints):
        if not replicas():
            return None
        mark_written()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # A row read from a replica may point to one read from the primary: same data.
        databases = {DEFAULT_DB_ALIAS, *replicas()}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if db != DEFAULT_DB_ALIAS and db in replicas():
            return False
        return None


class ReplicaRoutingMiddleware:
    """First in ``MIDDLEWARE``: makes each request a unit of work (its session, its user and
    everything the view reads) and pins the browser to the primary for a few seconds after a
    request that wrote."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replicas():
            return self.get_response(request)
        pinned = request.method not in SAFE_METHODS or PIN_COOKIE in request.COOKIES
        with unit_of_work(pinned=pinned) as unit:
            response = self.get_response(request)
        seconds = settings.DATABASE_PRIMARY_PIN_SECONDS
        if unit.wrote and seconds > 0:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response


def _job_started(sender, task_result, **kwargs) -> None:
    if not replicas():
        return
    enqueued_at = task_result.enqueued_at
    recent = enqueued_at is None or timezone.now() - enqueued_at < timedelta(
        seconds=settings.DATABASE_PRIMARY_PIN_SECONDS
    )
    _current.set(_begin(pinned=recent, parent=_current.get(), task_id=task_result.id))


def _job_finished(sender, task_result, **kwargs) -> None:
    unit = _current.get()
    if unit is None or unit.task_id != task_result.id:
        return
    _current.set(unit.parent)
    if unit.wrote and unit.parent is not None:
        _wrote(unit.parent)


def connect_job_signals() -> None:
    """Each background job (django-tasks, any backend) is a unit of work of its own."""
    from django_tasks.signals import task_finished, task_started

    task_started.connect(_job_started, dispatch_uid="minga.db_routing.job_started")
    task_finished.connect(_job_finished, dispatch_uid="minga.db_routing.job_finished")
