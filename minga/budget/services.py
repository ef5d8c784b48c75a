"""Writes of the budget module. Each service is keyword-only and atomic, and records an audit
entry. An import goes in two steps: `import_upload` reads and checks the file and keeps it as
a `BudgetImport` (nothing public changes), `import_publish` checks it again and, in one
transaction, replaces the lines of that cut-off and side; a file with any error cannot be
published, so the previous data stays live."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core import opendata
from minga.core.audit import services as audit
from minga.core.search import services as search

from . import cedula, classifier
from .models import BudgetImport, BudgetLine, BudgetYear, ClassifierEntry, ColumnMapping, CutOff, LineExecution
from .search import YEAR_KIND

LINE_FIELDS = (
    "description",
    "direction",
    "item_code",
    "nature_code",
    "group_code",
    "subgroup_code",
    "programme_code",
    "programme_name",
    "project_code",
    "project_name",
    "unit_name",
    "funding_code",
    "funding_name",
    "dpa_code",
    "location_name",
)


# Classifier ------------------------------------------------------------------------------


@transaction.atomic
def classifier_ensure_defaults(*, government) -> int:
    """Give a government its starting classifier names the first time it needs them; from
    then on the names are its own (a nature it removed stays removed)."""
    if ClassifierEntry.objects.filter(government=government).exists():
        return 0
    known: set[str] = set()
    entries = [
        ClassifierEntry(government=government, code=code, level=1, name=name, direction=direction, side=side)
        for code, (name, direction, side) in classifier.NATURES.items()
        if code not in known
    ]
    for names in (classifier.GROUPS, classifier.SUBGROUPS, classifier.ITEMS):
        entries += [
            ClassifierEntry(government=government, code=code, level=len(code), name=name)
            for code, name in names.items()
            if code not in known
        ]
    ClassifierEntry.objects.bulk_create(entries)
    return len(entries)


def classifier_for_checks(government) -> cedula.Classifier:
    classifier_ensure_defaults(government=government)
    natures, names = {}, {}
    for entry in ClassifierEntry.objects.filter(government=government):
        names[entry.code] = entry.name
        if entry.level == ClassifierEntry.Level.NATURE and entry.direction and entry.side:
            natures[entry.code] = (entry.direction, entry.side)
    return cedula.Classifier(natures=natures, names=names)


@transaction.atomic
def classifier_entry_save(
    *, actor, government, code: str, name: str, direction: str = "", side: str = "", now=None
) -> ClassifierEntry:
    code = (code or "").strip()
    if not code.isdigit() or len(code) not in (1, 2, 4, 6):
        raise ValidationError({"code": _("A classifier code has 1, 2, 4 or 6 digits.")})
    entry = ClassifierEntry.objects.filter(government=government, code=code).select_for_update().first()
    before = audit.snapshot(entry) if entry else {}
    if entry is None:
        entry = ClassifierEntry(government=government, code=code, level=len(code))
    entry.name = (name or "").strip()
    if entry.level == ClassifierEntry.Level.NATURE:
        entry.direction, entry.side = direction, side
        if not direction or not side:
            raise ValidationError({"direction": _("A nature needs its direction and its cédula.")})
    else:
        entry.direction = entry.side = ""
    entry.full_clean()
    entry.save()
    after = audit.snapshot(entry)
    changes = audit.diff_fields(
        {k: v for k, v in before.items() if k != "updated_at"}, {k: v for k, v in after.items() if k != "updated_at"}
    )
    if changes:
        audit.record(
            actor=actor,
            government=government,
            action="budget.classifier.created" if not before else "budget.classifier.updated",
            obj=entry,
            changes=changes,
            now=now,
        )
        opendata.tables_changed(government=government, module="budget")
    return entry


def _learn_names(government, *, headings: dict[str, str], lines: list[dict]) -> int:
    """Names the file carries for codes the government has not named yet (headings such as
    "73 BIENES Y SERVICIOS PARA INVERSIÓN", and the item of each line)."""
    known = set(ClassifierEntry.objects.filter(government=government).values_list("code", flat=True))
    new: dict[str, str] = {}
    for code, name in headings.items():
        if code not in known and len(code) in (2, 4) and name:
            new[code] = name
    for line in lines:
        code = line["item_code"]
        if code not in known and code not in new and line["description"]:
            new[code] = line["description"][:250]
    ClassifierEntry.objects.bulk_create(
        [ClassifierEntry(government=government, code=code, level=len(code), name=name) for code, name in new.items()]
    )
    return len(new)


# Imports ---------------------------------------------------------------------------------


def saved_mapping(government) -> dict:
    found = ColumnMapping.objects.filter(government=government).first()
    return dict(found.mapping) if found else {}


def _check(government, budget_import: BudgetImport, progress=None) -> cedula.Result:
    return cedula.check_rows(
        budget_import.headers,
        budget_import.raw_rows,
        mapping=budget_import.mapping,
        scope=budget_import.scope,
        classifier=classifier_for_checks(government),
        header_row=budget_import.report.get("header_row", 1),
        progress=progress,
    )


def _store_report(budget_import: BudgetImport, result: cedula.Result, header_row: int) -> None:
    budget_import.report = result.report(header_row=header_row)
    budget_import.status = BudgetImport.Status.REJECTED if result.errors else BudgetImport.Status.READY


def validate_period(year, month, now: dt.datetime | None = None) -> dict:
    """Field → message for a cut-off that cannot be (the upload form shows them on its fields)."""
    now = now or timezone.now()
    errors = {}
    if not isinstance(year, int) or not 1990 <= year <= now.year + 1:
        errors["year"] = _("Choose a year between 1990 and next year.")
    if not isinstance(month, int) or not 1 <= month <= 12:
        errors["month"] = _("Choose a month from 1 to 12.")
    return errors


def _read_into(government, budget_import: BudgetImport, table: cedula.Table, data: bytes, progress=None) -> None:
    """The table as read, the mapping detected and the report of every problem, on the import."""
    budget_import.sha256 = hashlib.sha256(data).hexdigest()
    budget_import.headers, budget_import.raw_rows = table.headers, table.rows
    budget_import.mapping = cedula.detect_mapping(table.headers, saved_mapping(government))
    budget_import.report = {"header_row": table.header_row}
    _store_report(budget_import, _check(government, budget_import, progress), table.header_row)


def _audit_uploaded(actor, government, budget_import: BudgetImport, now) -> None:
    audit.record(
        actor=actor,
        government=government,
        action="budget.import.uploaded",
        obj=budget_import,
        changes={
            "filename": [None, budget_import.filename],
            "sha256": [None, budget_import.sha256],
            "cutoff": [None, f"{budget_import.year}-{budget_import.month:02d}"],
            "scope": [None, budget_import.scope],
            "status": [None, budget_import.status],
            "errors": [None, len(budget_import.report.get("errors", []))],
        },
        now=now,
    )


@transaction.atomic
def import_upload(*, actor, government, year: int, month: int, scope: str, filename: str, data: bytes, now=None):
    """Read and check the file at once (the back office has a job do it, see ``importing``). A
    file that cannot be read raises ValidationError; a readable file is kept with its report
    (ready or with errors) for the official to review."""
    now = now or timezone.now()
    errors = validate_period(year, month, now)
    if scope not in BudgetImport.Scope.values:
        errors["scope"] = _("Choose which cédula the file is.")
    try:
        table = cedula.read_table(data, filename)
    except cedula.CedulaFileError as error:
        errors["file"] = str(error)
    if errors:
        raise ValidationError(errors)
    budget_import = BudgetImport(
        government=government,
        year=year,
        month=month,
        scope=scope,
        filename=(filename or "cedula")[:250],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _read_into(government, budget_import, table, data)
    budget_import.full_clean()
    budget_import.save()
    _audit_uploaded(actor, government, budget_import, now)
    return budget_import


def import_read(*, government, budget_import: BudgetImport, data: bytes, now=None, progress=None) -> BudgetImport:
    """Read and check the stored file of an import a job is reading (status ``reading``): it
    becomes ready or rejected with its report, and the upload is audited. A file that cannot be
    read is rejected with the reason as its one problem. ``progress(phase, done, total)`` hears
    the phases reading and checking."""
    now = now or timezone.now()
    if progress is not None:
        progress("reading", 0, None)
    try:
        table = cedula.read_table(data, budget_import.filename)
    except cedula.CedulaFileError as error:
        table, unreadable = None, str(error)
    with transaction.atomic():
        locked = BudgetImport.objects.for_government(government).select_for_update().get(pk=budget_import.pk)
        if locked.status != BudgetImport.Status.READING:
            return locked  # given up meanwhile (recovery), or read by another delivery of the job
        if table is None:
            locked.sha256 = hashlib.sha256(data).hexdigest()
            locked.status = BudgetImport.Status.REJECTED
            problem = {"code": "file_unreadable", "row": None, "column": "", "field": "", "params": {}}
            problem["params"]["message"] = unreadable
            locked.report = {"errors": [problem], "warnings": [], "unreadable": True}
        else:
            _read_into(government, locked, table, data, progress)
        locked.full_clean()
        locked.save()
        _audit_uploaded(locked.created_by, government, locked, now)
    return locked


def _open_import(government, budget_import: BudgetImport, *, publishing: bool = False) -> BudgetImport:
    """The import, locked, while officials may still change it (or, for the job that publishes
    it, while it is being published)."""
    locked = BudgetImport.objects.select_for_update().get(pk=budget_import.pk, government=government)
    if publishing and locked.status == BudgetImport.Status.PUBLISHING:
        return locked
    if locked.is_busy:
        raise ValidationError(_("This import is being read or published: wait until that ends."))
    if not locked.is_open:
        raise ValidationError(_("This import was already published or discarded."))
    return locked


@transaction.atomic
def import_remap(*, actor, government, budget_import: BudgetImport, mapping: dict, remember: bool, now=None):
    """Apply the columns the official chose and check the file again; with ``remember`` the
    mapping becomes the government's default for the next imports."""
    budget_import = _open_import(government, budget_import)
    clean = {key: header for key, header in mapping.items() if key in cedula.FIELD_LABELS and header}
    before = dict(budget_import.mapping)
    budget_import.mapping = clean
    header_row = budget_import.report.get("header_row", 1)
    _store_report(budget_import, _check(government, budget_import), header_row)
    budget_import.save(update_fields=["mapping", "report", "status"])
    audit.record(
        actor=actor,
        government=government,
        action="budget.import.remapped",
        obj=budget_import,
        changes={"mapping": [before, clean], "status": [None, budget_import.status]},
        now=now,
    )
    if remember:
        mapping_save(actor=actor, government=government, mapping=clean, now=now)
    return budget_import


@transaction.atomic
def mapping_save(*, actor, government, mapping: dict, now=None) -> ColumnMapping:
    clean = {key: header for key, header in mapping.items() if key in cedula.FIELD_LABELS and header}
    found, _created = ColumnMapping.objects.get_or_create(government=government)
    before = dict(found.mapping)
    found.mapping = clean
    found.save()
    if before != clean:
        audit.record(
            actor=actor,
            government=government,
            action="budget.mapping.saved",
            obj=found,
            changes={"mapping": [before, clean]},
            now=now,
        )
    return found


@transaction.atomic
def import_discard(*, actor, government, budget_import: BudgetImport, now=None) -> BudgetImport:
    budget_import = _open_import(government, budget_import)
    before = budget_import.status
    budget_import.status = BudgetImport.Status.DISCARDED
    budget_import.raw_rows = []
    budget_import.save(update_fields=["status", "raw_rows"])
    audit.record(
        actor=actor,
        government=government,
        action="budget.import.discarded",
        obj=budget_import,
        changes={"status": [before, budget_import.status]},
        now=now,
    )
    return budget_import


def import_publish(
    *, actor, government, budget_import: BudgetImport, now=None, progress=None, publishing: bool = False
) -> CutOff:
    """Check the file once more (the classifier may have changed since the preview) and
    publish it in one transaction; any error refuses the whole file, which is then stored as
    rejected with its report. ``progress(phase, done, total)`` hears the phases checking and
    storing (see ``importing``); ``publishing`` is for the job that publishes an import queued
    with ``importing.publish_requested``."""
    with transaction.atomic():
        budget_import, cutoff, result = _publish(
            actor=actor,
            government=government,
            budget_import=budget_import,
            now=now or timezone.now(),
            progress=progress,
            publishing=publishing,
        )
    if cutoff is None:
        raise ValidationError(
            _("The file has %(count)s problems: fix them in the file and upload it again.")
            % {"count": len(result.errors)}
        )
    return cutoff


def _publish(*, actor, government, budget_import: BudgetImport, now, progress, publishing: bool):
    budget_import = _open_import(government, budget_import, publishing=publishing)
    header_row = budget_import.report.get("header_row", 1)
    if progress is not None:
        progress("checking", 0, None)
    result = _check(government, budget_import, progress)
    if result.errors:
        _store_report(budget_import, result, header_row)
        budget_import.save(update_fields=["report", "status"])
        return budget_import, None, result
    cutoff = publish_lines(
        actor=actor,
        government=government,
        year=budget_import.year,
        month=budget_import.month,
        scope=budget_import.scope,
        lines=result.lines,
        headings=result.headings,
        source={"import": budget_import.pk, "filename": budget_import.filename, "sha256": budget_import.sha256},
        now=now,
        progress=progress,
    )
    budget_import.published_at = now
    _store_report(budget_import, result, header_row)
    budget_import.status = BudgetImport.Status.PUBLISHED
    budget_import.save(update_fields=["status", "published_at", "report"])
    return budget_import, cutoff, result


def _sides(scope: str) -> list[str]:
    return ["income", "expense"] if scope == "both" else [scope]


@transaction.atomic
def publish_lines(
    *,
    actor,
    government,
    year: int,
    month: int,
    scope: str,
    lines: list[dict],
    headings: dict,
    source: dict,
    now=None,
    progress=None,
) -> CutOff:
    """Make ``lines`` (checked by `cedula.check_rows`) the figures of the cut-off for the
    sides of ``scope``: the lines of the other side at that cut-off stay as they were."""
    now = now or timezone.now()
    budget_year, _created = BudgetYear.objects.get_or_create(government=government, year=year)
    cutoff, _created = CutOff.objects.get_or_create(government=government, budget_year=budget_year, month=month)
    cutoff = CutOff.objects.select_for_update().get(pk=cutoff.pk)
    natures = classifier_for_checks(government).natures
    scope_natures = [digit for digit, (_direction, side) in natures.items() if side in _sides(scope)]
    replaced = LineExecution.objects.filter(cutoff=cutoff, line__nature_code__in=scope_natures)
    replaced_count = replaced.count()
    replaced.delete()
    learned = _learn_names(government, headings=headings, lines=lines)

    existing = {line.partida: line for line in BudgetLine.objects.filter(budget_year=budget_year)}
    new_lines, changed = [], []
    for values in lines:
        line = existing.get(values["partida"])
        if line is None:
            line = BudgetLine(
                government=government,
                budget_year=budget_year,
                partida=values["partida"],
                **{name: values[name] for name in LINE_FIELDS},
            )
            new_lines.append(line)
            existing[line.partida] = line
        elif any(getattr(line, name) != values[name] for name in LINE_FIELDS):
            for name in LINE_FIELDS:
                setattr(line, name, values[name])
            changed.append(line)
    BudgetLine.objects.bulk_create(new_lines, batch_size=500)
    if changed:
        BudgetLine.objects.bulk_update(changed, LINE_FIELDS, batch_size=500)
    if new_lines and new_lines[0].pk is None:
        # Databases that do not return ids from bulk inserts: read them back.
        ids = dict(BudgetLine.objects.filter(budget_year=budget_year).values_list("partida", "pk"))
        for line in new_lines:
            line.pk = ids[line.partida]
    executions = [
        LineExecution(
            government=government,
            line=existing[values["partida"]],
            cutoff=cutoff,
            **{name: None if values[name] is None else Decimal(values[name]) for name in cedula.AMOUNT_FIELDS},
        )
        for values in lines
    ]
    for start in range(0, len(executions), 500):
        if progress is not None:
            progress("storing", start, len(executions))
        LineExecution.objects.bulk_create(executions[start : start + 500], batch_size=500)
    if progress is not None:
        progress("storing", len(executions), len(executions))
    was_published = cutoff.published_at is not None
    cutoff.published_at = now
    cutoff.save(update_fields=["published_at", "updated_at"])
    totals = {
        name: str(sum((Decimal(v[name]) for v in lines if v[name] is not None), Decimal(0)))
        for name in ("codificado", "devengado", "pagado")
    }
    audit.record(
        actor=actor,
        government=government,
        action="budget.cutoff.republished" if was_published else "budget.cutoff.published",
        obj=cutoff,
        changes={
            "scope": [None, scope],
            "lines": [replaced_count, len(lines)],
            "new_lines": [None, len(new_lines)],
            "reclassified_lines": [None, len(changed)],
            "classifier_names_learned": [None, learned],
            "totals": [None, totals],
            "source": [None, source],
        },
        now=now,
    )
    opendata.tables_changed(government=government, module="budget")
    search.index_object(kind=YEAR_KIND, obj=budget_year, now=now)
    return cutoff


@transaction.atomic
def cutoff_withdraw(*, actor, government, cutoff: CutOff, now=None) -> CutOff:
    """Take a cut-off off the public pages (its figures are kept; publishing a file for the
    same month again brings it back)."""
    cutoff = CutOff.objects.select_for_update().get(pk=cutoff.pk, government=government)
    if cutoff.published_at is None:
        raise ValidationError(_("This cut-off is not published."))
    before = cutoff.published_at
    cutoff.published_at = None
    cutoff.save(update_fields=["published_at", "updated_at"])
    audit.record(
        actor=actor,
        government=government,
        action="budget.cutoff.withdrawn",
        obj=cutoff,
        changes={"published_at": [before, None]},
        now=now,
    )
    opendata.tables_changed(government=government, module="budget")
    search.index_object(kind=YEAR_KIND, obj=cutoff.budget_year, now=now)
    return cutoff


@transaction.atomic
def year_update_notes(*, actor, government, budget_year: BudgetYear, notes: str, now=None) -> BudgetYear:
    budget_year = BudgetYear.objects.select_for_update().get(pk=budget_year.pk, government=government)
    before = budget_year.notes
    budget_year.notes = (notes or "").strip()
    budget_year.full_clean()
    budget_year.save(update_fields=["notes"])
    if before != budget_year.notes:
        audit.record(
            actor=actor,
            government=government,
            action="budget.year.updated",
            obj=budget_year,
            changes={"notes": [before, budget_year.notes]},
            now=now,
        )
        search.index_object(kind=YEAR_KIND, obj=budget_year, now=now)
    return budget_year
