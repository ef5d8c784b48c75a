"""Writes of the procurement module: importing OCDS files (atomic per file, incremental and
idempotent), the procedure types and PIE years officials maintain, and recomputing red flags.
Every official write is audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core import opendata
from minga.core.audit import services as audit
from minga.core.registry import resolve_links

from . import flags as indicators
from . import ocds
from .extract import extract, registration_fields, registrations
from .group_flags import refresh_group_flags
from .models import (
    BudgetYear,
    Buyer,
    ImportRun,
    ProcedureType,
    Process,
    ProcessBudgetLine,
    ProcessItem,
    ProcessSupplier,
    Release,
    Supplier,
)
from .procedures import DEFAULT_PROCEDURES, ProcedureMatcher
from .wordlists import fts_forget, fts_index

CHUNK = 1000
# After this many new processes the planner's statistics are refreshed: without them SQLite
# walks the government's whole index instead of starting from the full-text matches.
STATISTICS_AFTER = 1000
STATISTICS_TABLES = ("procurement_process", "procurement_processsupplier", "procurement_processitem")
POSTGRES_STATISTICS_TABLES = ("procurement_process_postings",)
MAX_REPORTED_PROBLEMS = 500
PROCEDURE_FIELDS = (
    "code",
    "name",
    "family",
    "match_terms",
    "threshold_coefficient",
    "is_infima",
    "is_emergency",
    "is_competitive",
    "order",
)


# Procedure types and PIE ------------------------------------------------------------------------


def ensure_procedure_types(*, government) -> list[ProcedureType]:
    """The government's procedure types, creating the Ecuadorian defaults the first time."""
    existing = list(ProcedureType.objects.filter(government=government).order_by("order", "pk"))
    if existing:
        return existing
    ProcedureType.objects.bulk_create(
        [
            ProcedureType(
                government=government,
                code=code,
                name=name,
                family=family,
                match_terms=terms,
                threshold_coefficient=Decimal(coefficient) if coefficient else None,
                is_infima=infima,
                is_emergency=emergency,
                is_competitive=competitive,
                order=(index + 1) * 10,
            )
            for index, (code, name, family, terms, coefficient, infima, emergency, competitive) in enumerate(
                DEFAULT_PROCEDURES
            )
        ]
    )
    return list(ProcedureType.objects.filter(government=government).order_by("order", "pk"))


def _check_fields(fields: dict, allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


@transaction.atomic
def procedure_save(*, actor, government, procedure: ProcedureType | None = None, now=None, **fields) -> ProcedureType:
    _check_fields(fields, PROCEDURE_FIELDS)
    creating = procedure is None
    procedure = procedure or ProcedureType(government=government)
    before = {} if creating else audit.snapshot(procedure)
    for name, value in fields.items():
        setattr(procedure, name, value)
    taken = ProcedureType.objects.filter(government=government, code=procedure.code).exclude(pk=procedure.pk)
    if taken.exists():
        raise ValidationError({"code": _("Another procedure type of this government already uses this code.")})
    procedure.full_clean()
    procedure.save()
    audit.record(
        actor=actor,
        government=government,
        action="procurement.procedure.created" if creating else "procurement.procedure.updated",
        obj=procedure,
        changes=audit.diff_fields(before, audit.snapshot(procedure)),
        now=now,
    )
    return procedure


@transaction.atomic
def budget_year_save(*, actor, government, year: int, pie_amount: Decimal, now=None) -> BudgetYear:
    found = BudgetYear.objects.filter(government=government, year=year).first()
    before = audit.snapshot(found) if found else {}
    found = found or BudgetYear(government=government, year=year)
    found.pie_amount = pie_amount
    found.full_clean()
    found.save()
    audit.record(
        actor=actor,
        government=government,
        action="procurement.pie.saved",
        obj=found,
        changes=audit.diff_fields(before, audit.snapshot(found)),
        now=now,
    )
    return found


@transaction.atomic
def budget_year_delete(*, actor, government, budget_year: BudgetYear, now=None) -> None:
    audit.record(
        actor=actor,
        government=government,
        action="procurement.pie.deleted",
        obj=budget_year,
        changes=audit.diff_fields(audit.snapshot(budget_year), {}),
        now=now,
    )
    budget_year.delete()


# Import -----------------------------------------------------------------------------------------


@dataclass
class _Counts:
    read: int = 0
    added: int = 0
    duplicate: int = 0
    invalid: int = 0
    created: int = 0
    updated: int = 0


class _Problems:
    def __init__(self):
        self.items: list[dict] = []
        self.count = 0

    def add(self, *, where: str, ocid: str = "", release: str = "", message: str) -> None:
        self.count += 1
        if len(self.items) < MAX_REPORTED_PROBLEMS:
            self.items.append({"where": where, "ocid": ocid[:200], "release": release[:300], "message": message})


class _Organisations:
    """Buyers or suppliers by identifier, created in bulk as the import meets them."""

    def __init__(self, model, government):
        self.model, self.government = model, government
        self.by_identifier = {
            identifier: pk
            for pk, identifier in model.objects.filter(government=government).values_list("pk", "identifier")
        }
        self.created: list[int] = []

    def ensure(self, parties) -> None:
        missing = {}
        for party in parties:
            if party.identifier not in self.by_identifier:
                missing[party.identifier] = party.name[:400]
        if missing:
            self.model.objects.bulk_create(
                [self.model(government=self.government, identifier=k, name=v) for k, v in missing.items()]
            )
            for pk, identifier in self.model.objects.filter(
                government=self.government, identifier__in=list(missing)
            ).values_list("pk", "identifier"):
                self.by_identifier[identifier] = pk
                self.created.append(pk)

    def pk(self, party) -> int | None:
        return self.by_identifier.get(party.identifier) if party else None


class _Suppliers(_Organisations):
    """Suppliers, with the registration date the published data gives them (the latest import
    that carries one wins; an import without it keeps the date known)."""

    def __init__(self, government):
        super().__init__(Supplier, government)
        self.registered = dict(
            Supplier.objects.filter(government=government, registered_on__isnull=False).values_list(
                "identifier", "registered_on"
            )
        )

    def ensure(self, parties) -> None:
        parties = list(parties)
        super().ensure(parties)
        record_registrations(
            self.government, {p.identifier: p.registered for p in parties if p.registered}, self.registered
        )


def record_registrations(government, found: dict[str, dt.date], known: dict[str, dt.date]) -> int:
    """Store the suppliers' registration dates that differ from the ones `known` holds (updated
    in place); returns how many changed."""
    changed = {identifier: day for identifier, day in found.items() if known.get(identifier) != day}
    if not changed:
        return 0
    suppliers = list(Supplier.objects.filter(government=government, identifier__in=list(changed)))
    for supplier in suppliers:
        supplier.registered_on = changed[supplier.identifier]
        known[supplier.identifier] = supplier.registered_on
    Supplier.objects.bulk_update(suppliers, ["registered_on"], batch_size=500)
    return len(suppliers)


def _money(value: Decimal | None) -> str | None:
    return None if value is None else str(value.quantize(Decimal("0.01")))


def _insert(model, columns: tuple[str, ...], rows: list[tuple], *, returning: bool = False) -> list[int]:
    """INSERT rows into a module-owned table (columns by attribute name, JSON columns given as
    JSON text), returning the new ids in row order when asked. SQLite gets multi-row VALUES
    statements; PostgreSQL one statement per 5,000 rows over UNNEST of one array per column (as
    Django's bulk_create does), which keeps the statement short enough for the driver to cache
    its parsing, where thousands of placeholders would be parsed again for every batch. The
    arrays travel in binary (%b): in text form every quote of the JSON columns is escaped by the
    driver and unescaped by the server, which took most of a PostgreSQL import's time."""
    if not rows:
        return []
    fields = [model._meta.get_field(name) for name in columns]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = model._meta.db_table
    suffix = " RETURNING id" if returning else ""
    ids: list[int] = []
    if connection.vendor == "postgresql":
        import psycopg

        arrays = ", ".join(f"%b::{field.db_type(connection)}[]" for field in fields)
        sql = f"INSERT INTO {table} ({names}) SELECT * FROM UNNEST({arrays}){suffix}"  # noqa: S608
        connection.ensure_connection()
        # A server-side binding cursor on Django's own connection (so inside its transaction):
        # the arrays travel as parameters instead of being quoted into the statement.
        with psycopg.Cursor(connection.connection) as cursor:
            for start in range(0, len(rows), 5000):
                batch = rows[start : start + 5000]
                cursor.execute(sql, [list(values) for values in zip(*batch, strict=True)])
                if returning:
                    ids.extend(pk for (pk,) in cursor.fetchall())
        return ids
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, 30_000 // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            sql = f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(batch))}{suffix}"  # noqa: S608
            cursor.execute(sql, [value for row in batch for value in row])
            if returning:
                ids.extend(pk for (pk,) in cursor.fetchall())
    return ids


def _insert_processes(processes: list[Process]) -> None:
    """New processes, with the ids the database gave them (in row order, which is what
    Django's own bulk_create relies on for both engines)."""
    fields = [field for field in Process._meta.concrete_fields if not field.primary_key]
    # Only JSON, dates and decimals need converting for either driver; Django's per-field
    # preparation of every value cost more than the database's insert of the plain ones.
    prepared = {"DateTimeField", "DateField", "DecimalField"}

    def converter(field):
        kind = field.get_internal_type()
        if kind == "JSONField":
            return lambda found: json.dumps(found, ensure_ascii=False, default=str)
        if kind in prepared:
            return lambda found: None if found is None else field.get_db_prep_save(found, connection)
        return None

    plan = [(field.attname, converter(field)) for field in fields]
    rows = [
        tuple(convert(getattr(process, name)) if convert else getattr(process, name) for name, convert in plan)
        for process in processes
    ]
    ids = _insert(Process, tuple(field.attname for field in fields), rows, returning=True)
    for process, pk in zip(processes, ids, strict=True):
        process.pk = pk
        process._state.adding = False


def _certified(government, keys: list[str]) -> dict[str, Decimal]:
    """The certified amount of each budget line the budget module knows."""
    found = {}
    for key, linked in resolve_links(government, "budget.line", keys).items():
        value = linked.facts.get("certificado")
        if value is not None:
            found[key] = Decimal(str(value))
    return found


class _Importer:
    def __init__(self, *, government, run: ImportRun, now):
        self.government, self.run, self.now = government, run, now
        self.matcher = ProcedureMatcher(ensure_procedure_types(government=government))
        self.limits = indicators.thresholds(government)
        self.buyers = _Organisations(Buyer, government)
        self.suppliers = _Suppliers(government)
        self.registration_keys = registration_fields(self.limits["supplier_registration_keys"])
        self.counts = _Counts()
        self.problems = _Problems()
        self.family_digits = max(1, int(self.limits["item_family_digits"]))

    def run_file(self, read: ocds.ReadFile, progress=None) -> None:
        report = progress or (lambda phase, done, total: None)
        for problem in read.problems:
            self.problems.add(**problem)
            self.counts.invalid += 1
        by_ocid: dict[str, list[ocds.SourceRelease]] = defaultdict(list)
        for source in read.releases:
            self.counts.read += 1
            report("validate", self.counts.read, len(read.releases))
            reasons = ocds.release_problems(source.data)
            if reasons:
                self.counts.invalid += 1
                data = source.data if isinstance(source.data, dict) else {}
                self.problems.add(
                    where=source.where,
                    ocid=str(data.get("ocid", "")),
                    release=str(data.get("id", "")),
                    message=" ".join(reasons),
                )
                continue
            by_ocid[source.data["ocid"].strip()].append(source)
        ocids, valid, done = list(by_ocid), sum(map(len, by_ocid.values())), 0
        for start in range(0, len(ocids), CHUNK):
            report("store", done, valid)
            self._chunk({ocid: by_ocid[ocid] for ocid in ocids[start : start + CHUNK]})
            done += sum(len(by_ocid[ocid]) for ocid in ocids[start : start + CHUNK])
        report("store", done, valid)
        self.counts.read += len(read.problems)

    def _new_releases(self, ocid: str, sources, stored: dict[str, str]) -> list[tuple[dict, str, str]]:
        """The releases of the file not yet stored for this OCID, each with its digest and
        canonical JSON text; duplicates are counted and id clashes reported."""
        fresh: dict[str, tuple[dict, str, str]] = {}
        for source in sources:
            release_id = str(source.data["id"]).strip()
            text = ocds.canonical_text(source.data)
            digest = ocds.digest_of(text)
            known = stored.get(release_id) or (fresh[release_id][1] if release_id in fresh else None)
            if known is None:
                fresh[release_id] = (source.data, digest, text)
            elif known == digest:
                self.counts.duplicate += 1
            else:
                self.counts.invalid += 1
                self.problems.add(
                    where=source.where,
                    ocid=ocid,
                    release=release_id,
                    message=_(
                        "Another release with this id and different content is already known; release ids "
                        "are never reused in OCDS, so the one imported first is kept."
                    ),
                )
        return list(fresh.values())

    def _chunk(self, chunk: dict[str, list[ocds.SourceRelease]]) -> None:
        government = self.government
        processes = {p.ocid: p for p in Process.objects.filter(government=government, ocid__in=list(chunk))}
        stored: dict[int, dict[str, str]] = defaultdict(dict)
        for process_id, release_id, digest in Release.objects.filter(
            government=government, process__in=list(processes.values())
        ).values_list("process_id", "release_id", "digest"):
            stored[process_id][release_id] = digest
        changes: dict[str, list[tuple[dict, str, str]]] = {}
        for ocid, sources in chunk.items():
            known = processes.get(ocid)
            fresh = self._new_releases(ocid, sources, stored[known.pk] if known else {})
            if fresh:
                changes[ocid] = fresh
        if not changes:
            return
        previous: dict[int, list[dict]] = defaultdict(list)
        updated_ids = [processes[ocid].pk for ocid in changes if ocid in processes]
        if updated_ids:
            for process_id, data in Release.objects.filter(
                government=government, process_id__in=updated_ids
            ).values_list("process_id", "data"):
                previous[process_id].append(data)

        extracted = {}
        for ocid, fresh in changes.items():
            known = processes.get(ocid)
            releases = (previous[known.pk] if known else []) + [data for data, _digest, _text in fresh]
            compiled = ocds.compile_releases(releases)
            extracted[ocid] = (
                compiled,
                extract(compiled, releases, matcher=self.matcher, registration_keys=self.registration_keys),
                len(releases),
            )
        self.buyers.ensure(found.buyer for _c, found, _n in extracted.values() if found.buyer)
        self.suppliers.ensure(party for _c, found, _n in extracted.values() for party, _a in found.suppliers)
        keys = sorted({key for _c, found, _n in extracted.values() for key, _a in found.budget_lines})
        certified = _certified(government, keys) if keys else {}

        # The words the processes had, for the full-text lists to drop the ones they lose.
        previous_text = {p.pk: p.search_text for p in processes.values()}
        to_create, to_update = [], []
        for ocid, (compiled, found, release_count) in extracted.items():
            columns = dict(found.columns)
            line_keys = [key for key, _a in found.budget_lines if key in certified]
            reference = sum((certified[key] for key in line_keys), Decimal(0)) if line_keys else None
            process_flags = indicators.process_flags(compiled, columns, self.limits, reference)
            process = processes.get(ocid) or Process(government=government, ocid=ocid, group_flags={})
            for name, value in columns.items():
                setattr(process, name, value)
            process.buyer_id = self.buyers.pk(found.buyer)
            process.compiled = compiled
            process.release_count = release_count
            process.flags = process_flags
            process.flag_count = indicators.count_fired(process_flags, process.group_flags or {})
            process.updated_at = self.now
            (to_update if process.pk else to_create).append(process)
        if to_create:
            _insert_processes(to_create)
        if to_update:
            Process.objects.bulk_update(
                to_update,
                [*(name for name in extracted[to_update[0].ocid][1].columns if name != "ocid"), "buyer", "compiled"]
                + ["release_count", "flags", "flag_count", "updated_at"],
                batch_size=500,
            )
            for child in (ProcessSupplier, ProcessItem, ProcessBudgetLine):
                child.objects.for_government(government).filter(process__in=to_update).delete()
        self.counts.created += len(to_create)
        self.counts.updated += len(to_update)

        by_ocid = {p.ocid: p for p in to_create + to_update}
        links, items, lines, releases = [], [], [], []
        adapt = connection.ops.adapt_datetimefield_value
        for ocid, (_compiled, found, _n) in extracted.items():
            process = by_ocid[ocid]
            for party, amount in found.suppliers:
                links.append((government.pk, process.pk, self.suppliers.pk(party), process.year, _money(amount)))
            for code, description in found.items:
                items.append((government.pk, process.pk, code, code[: self.family_digits], description))
            for key, amount in found.budget_lines:
                lines.append((government.pk, process.pk, key, _money(amount)))
            for data, digest, text in changes[ocid]:
                tags = " ".join(str(tag) for tag in data.get("tag") or [])[:300]
                date = adapt(ocds.parse_date(data["date"]))
                releases.append(
                    (government.pk, process.pk, str(data["id"]).strip(), date, tags, digest, text, self.run.pk)
                )
        # Plain multi-row inserts: at hundreds of thousands of rows, building model instances
        # and their SQL costs more than the database does.
        _insert(ProcessSupplier, ("government_id", "process_id", "supplier_id", "year", "amount"), links)
        _insert(ProcessItem, ("government_id", "process_id", "code", "family", "description"), items)
        _insert(ProcessBudgetLine, ("government_id", "process_id", "key", "amount"), lines)
        _insert(
            Release,
            ("government_id", "process_id", "release_id", "date", "tags", "digest", "data", "import_run_id"),
            releases,
        )
        self.counts.added += len(releases)
        fts_index(government, [(p.pk, p.search_text) for p in to_create + to_update], previous=previous_text)


def _refresh_statistics() -> None:
    tables = STATISTICS_TABLES + (POSTGRES_STATISTICS_TABLES if connection.vendor == "postgresql" else ())
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def _index_organisations(importer: _Importer) -> None:
    """New buyers and suppliers reach the portal-wide search from a background job once the
    import has committed: indexing them one by one would otherwise dominate large imports."""
    from .tasks import index_organisations

    buyers, suppliers = list(importer.buyers.created), list(importer.suppliers.created)
    if buyers or suppliers:
        government_id = importer.government.pk
        transaction.on_commit(lambda: index_organisations.enqueue(government_id, buyers, suppliers))


class RunGivenUp(Exception):
    """The run was marked failed meanwhile (recovery took its job for dead): the import rolls
    back rather than record an outcome over the failure officials were shown."""


def _take(government, run: ImportRun | None, *, actor, now, **fields) -> ImportRun:
    """A new run with ``fields``, or the RUNNING run of a job, locked and given them."""
    if run is None:
        return ImportRun.objects.create(government=government, created_by=actor, created_at=now, **fields)
    locked = ImportRun.objects.for_government(government).select_for_update().get(pk=run.pk)
    if locked.status != ImportRun.Status.RUNNING:
        raise RunGivenUp(run.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    return locked


@transaction.atomic
def _failed_run(*, actor, government, filename, digest, now, message, started, run=None) -> ImportRun:
    problems = [{"where": filename[:255], "ocid": "", "release": "", "message": message}]
    run = _take(
        government,
        run,
        actor=actor,
        now=now,
        filename=filename[:255],
        sha256=digest,
        status=ImportRun.Status.FAILED,
        problems=problems,
        problem_count=1,
        seconds=time.monotonic() - started,
    )
    run.save()
    audit.record(
        actor=actor,
        government=government,
        action="procurement.import.rejected",
        obj=run,
        changes={"filename": [None, run.filename], "problem": [None, message]},
        now=now,
    )
    return run


def import_file(
    *,
    actor,
    government,
    filename: str,
    raw: bytes,
    now: dt.datetime | None = None,
    refresh_groups: bool = True,
    progress=None,
    run: ImportRun | None = None,
) -> ImportRun:
    """Import one OCDS file. A file that cannot be read as OCDS changes nothing and is
    reported; inside a readable file, invalid releases are reported and the valid ones
    imported, all in one transaction. `refresh_groups=False` leaves the indicators across
    processes to one `refresh_group_flags()` after a series of imports. `progress(phase,
    done, total)` hears the phases validate, store and flags (see `importing`). `run` is the
    RUNNING run of a background job (see `importing.run_queued`), which gets the outcome;
    without it a new run is recorded."""
    now = now or timezone.now()
    started = time.monotonic()
    digest = hashlib.sha256(raw).hexdigest()
    try:
        read = ocds.read_file(filename, raw)
    except ocds.UnreadableFile as error:
        return _failed_run(
            actor=actor,
            government=government,
            filename=filename,
            digest=digest,
            now=now,
            message=str(error),
            started=started,
            run=run,
        )
    with transaction.atomic():
        run = _take(
            government,
            run,
            actor=actor,
            now=now,
            filename=filename[:255],
            sha256=digest,
            source_format=read.source_format[:40],
            status=ImportRun.Status.RUNNING,
        )
        importer = _Importer(government=government, run=run, now=now)
        importer.run_file(read, progress)
        counts = importer.counts
        if counts.created >= STATISTICS_AFTER:
            _refresh_statistics()
        if counts.created or counts.updated:
            if refresh_groups:
                if progress is not None:
                    progress("flags", 0, None)
                refresh_group_flags(government=government)
            _index_organisations(importer)
            opendata.tables_changed(government=government, module="procurement")
        run.releases_read = counts.read
        run.releases_added = counts.added
        run.releases_duplicate = counts.duplicate
        run.releases_invalid = counts.invalid
        run.processes_created = counts.created
        run.processes_updated = counts.updated
        run.problems = importer.problems.items
        run.problem_count = importer.problems.count
        run.seconds = time.monotonic() - started
        if run.started_at is not None:
            _take(government, run, actor=actor, now=now)  # still ours: recovery did not give it up meanwhile
        run.status = ImportRun.Status.SUCCEEDED
        run.save()
        audit.record(
            actor=actor,
            government=government,
            action="procurement.import.completed",
            obj=run,
            changes={
                "filename": [None, run.filename],
                "releases_added": [None, counts.added],
                "releases_invalid": [None, counts.invalid],
                "processes_created": [None, counts.created],
                "processes_updated": [None, counts.updated],
            },
            now=now,
        )
    return run


# Red flags across processes ----------------------------------------------------------------------


@transaction.atomic
def flags_recompute(*, actor, government, now=None) -> int:
    """Recompute every indicator (after thresholds, procedure types, PIE or budget lines
    changed); audited. Returns how many processes changed."""
    now = now or timezone.now()
    limits = indicators.thresholds(government)
    matcher = ProcedureMatcher(ensure_procedure_types(government=government))
    keys = registration_fields(limits["supplier_registration_keys"])
    registered = dict(
        Supplier.objects.filter(government=government, registered_on__isnull=False).values_list(
            "identifier", "registered_on"
        )
    )
    seen: set[str] = set()
    changed = 0
    last_pk = 0
    while True:
        batch = list(Process.objects.filter(government=government, pk__gt=last_pk).order_by("pk")[:CHUNK])
        if not batch:
            break
        last_pk = batch[-1].pk
        keys_by_process = defaultdict(list)
        lines = ProcessBudgetLine.objects.for_government(government).filter(process__in=batch)
        for process_id, key in lines.values_list("process_id", "key"):
            keys_by_process[process_id].append(key)
        all_keys = sorted({key for keys in keys_by_process.values() for key in keys})
        certified = _certified(government, all_keys) if all_keys else {}
        updates = []
        found: dict[str, dt.date] = {}
        for process in batch:
            found.update(registrations(process.compiled, keys))
        record_registrations(government, found, registered)
        seen.update(found)
        for process in batch:
            procedure = matcher.match(process.method_details, process.ocid)
            columns = {field.name: getattr(process, field.name) for field in Process._meta.concrete_fields}
            columns["procedure"] = procedure
            known = [key for key in keys_by_process[process.pk] if key in certified]
            reference = sum((certified[key] for key in known), Decimal(0)) if known else None
            new_flags = indicators.process_flags(process.compiled, columns, limits, reference)
            new_procedure_id = procedure.pk if procedure else None
            if new_flags != process.flags or new_procedure_id != process.procedure_id:
                process.flags = new_flags
                process.procedure_id = new_procedure_id
                process.flag_count = indicators.count_fired(new_flags, process.group_flags or {})
                updates.append(process)
        Process.objects.bulk_update(updates, ["flags", "procedure", "flag_count"], batch_size=500)
        changed += len(updates)
    # Every stored record was read: a date no record gives any more (the keys changed) goes.
    stale = [identifier for identifier in registered if identifier not in seen]
    for start in range(0, len(stale), 500):
        Supplier.objects.filter(government=government, identifier__in=stale[start : start + 500]).update(
            registered_on=None
        )
    changed += refresh_group_flags(government=government)
    audit.record(
        actor=actor,
        government=government,
        action="procurement.flags.recomputed",
        changes={"processes_changed": [None, changed]},
        now=now,
    )
    return changed


def processes_forget(*, government) -> None:
    """Remove every process of the government (demo reseeding); not an official action."""
    ids = list(Process.objects.filter(government=government).values_list("pk", flat=True))
    fts_forget(government, ids)
    Process.objects.filter(government=government).delete()
