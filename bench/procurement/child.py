"""The Django side of the contracting benchmarks, run in a child process with the database
of its environment (a SQLite file under MINGA_VAR_DIR, or MINGA_BENCH_DATABASE_URL). Prints
one JSON line."""

from __future__ import annotations

import io
import json
import sys
import time

SLUG = "bench-contratacion"


def _setup():
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _government(*, fresh: bool):
    from minga.core.tenancy.models import Government
    from minga.core.tenancy.services import government_create

    found = Government.objects.filter(slug=SLUG).first()
    if found is not None and fresh:
        from minga.core.tenancy.scoping import government_scope
        from minga.procurement.services import processes_forget

        with government_scope(found):
            processes_forget(government=found)
        return found
    return found or government_create(
        actor=None,
        name="Gobierno Provincial de prueba",
        short_name="Prueba",
        slug=SLUG,
        level="province",
        dpa_code="13",
    )


def import_file(path: str) -> dict:
    _setup()
    from minga.core.tenancy.scoping import government_scope
    from minga.procurement.services import ensure_procedure_types
    from minga.procurement.services import import_file as run_import

    government = _government(fresh=True)
    with open(path, "rb") as source:
        raw = source.read()
    with government_scope(government):
        ensure_procedure_types(government=government)
        started = time.monotonic()
        run = run_import(actor=None, government=government, filename=path.rsplit("/", 1)[-1], raw=raw)
        seconds = time.monotonic() - started
        again_started = time.monotonic()
        again = run_import(actor=None, government=government, filename="again.json", raw=raw)
        again_seconds = time.monotonic() - again_started
    return {
        "releases": run.releases_added,
        "processes": run.processes_created,
        "seconds": round(seconds, 2),
        "releases_per_second": round(run.releases_added / seconds, 1),
        "reimport_seconds": round(again_seconds, 2),
        "reimport_unchanged": again.releases_added == 0 and again.processes_updated == 0,
    }


def populate(count: int) -> dict:
    _setup()
    from django.utils import timezone

    from minga.core.tenancy.scoping import government_scope
    from minga.procurement import demo
    from minga.procurement.models import Process

    government = _government(fresh=False)
    started = time.monotonic()
    with government_scope(government):
        if Process.objects.filter(government=government).count() < count:
            demo.seed_large(government, now=timezone.now(), stdout=io.StringIO(), total=count)
        total = Process.objects.filter(government=government).count()
    from minga.core.maintenance import refresh_planner_statistics

    analyze_seconds = refresh_planner_statistics()  # as the daily job would have by now
    return {
        "government": SLUG,
        "processes": total,
        "seconds": round(time.monotonic() - started, 1),
        "analyze_seconds": round(analyze_seconds, 1),
    }


if __name__ == "__main__":
    command, argument = sys.argv[1], sys.argv[2]
    result = import_file(argument) if command == "import" else populate(int(argument))
    print(json.dumps(result))
