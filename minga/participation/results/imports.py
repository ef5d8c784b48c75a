"""CSV import of a process's results. One row per result; a row whose reference matches a
result of the process updates it, any other row creates one. All or nothing: every bad row
is reported with its line number and, if there is one, nothing is saved (the results stay as
they were)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from minga.core import registry

from . import catalog, selectors, services
from .models import Result, ResultLink

MAX_ROWS = 2000
MAX_BYTES = 2 * 1024 * 1024
COLUMNS = (
    "referencia",
    "padre",
    "titulo",
    "descripcion",
    "estado",
    "avance",
    "peso",
    "inicio",
    "fin",
    "unidad",
    "publicado",
    "vinculos",
)
REQUIRED = ("titulo",)
YES = {"si", "sí", "s", "yes", "y", "1", "true", "x"}
NO = {"no", "n", "0", "false", ""}


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0


class ImportRefused(ValidationError):
    """The file has bad rows: ``problems`` is [(line, message)]; nothing was saved."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = problems
        super().__init__(
            [
                _("Line %(line)s: %(message)s") % {"line": line, "message": message} if line else message
                for line, message in problems
            ]
        )


def _date(text: str) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _read(content: bytes) -> list[dict]:
    if len(content) > MAX_BYTES:
        raise ImportRefused([(0, _("The file is larger than 2 MB."))])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([(0, _("The file must be CSV in UTF-8."))]) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    headers = [(name or "").strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in headers]
    if missing:
        raise ImportRefused([(1, _("The header must have the column %(columns)s.") % {"columns": ", ".join(missing)})])
    unknown = [name for name in headers if name and name not in COLUMNS]
    if unknown:
        raise ImportRefused(
            [
                (
                    1,
                    _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
                    % {"unknown": ", ".join(unknown), "columns": ", ".join(COLUMNS)},
                )
            ]
        )
    reader.fieldnames = headers
    rows = []
    for row in reader:
        if reader.line_num - 1 > MAX_ROWS:
            raise ImportRefused([(0, _("The file has more than %(max)s rows.") % {"max": MAX_ROWS})])
        values = {key: (value or "").strip() for key, value in row.items() if key}
        if any(values.values()):
            rows.append({"line": reader.line_num, **values})
    if not rows:
        raise ImportRefused([(0, _("The file has no rows."))])
    return rows


def _status(government, text: str) -> str:
    if not text:
        return ""
    for status in catalog.statuses(government):
        if text.lower() in (status.key.lower(), status.name.lower()):
            return status.key
    raise ValueError(text)


def _unit(government, text: str) -> tuple[str, str]:
    if not text:
        return "", ""
    for unit in registry.directory_units(government):
        if text.lower() in (unit.key.lower(), unit.name.lower()):
            return unit.key, unit.name
    return "", text


def _links(text: str) -> list[tuple[str, str]]:
    found = []
    for item in text.replace("|", ";").split(";"):
        item = item.strip()
        if not item:
            continue
        kind, _sep, key = item.partition(":")
        if kind.strip() not in catalog.LINK_KIND_MAP or not key.strip():
            raise ValueError(item)
        found.append((kind.strip(), key.strip()))
    return found


def _values(government, row: dict) -> tuple[dict, list[tuple[str, str]], list[str]]:
    """The service's values of a row, its links and the problems found reading it."""
    problems, values = [], {}
    for column, name in (("titulo", "title"), ("descripcion", "description"), ("referencia", "reference")):
        if column in row:
            values[name] = row[column]
    if "estado" in row:
        try:
            values["status"] = _status(government, row["estado"])
        except ValueError:
            names = ", ".join(status.name for status in catalog.statuses(government))
            problems.append(
                _("unknown status “%(status)s” (use one of: %(names)s).") % {"status": row["estado"], "names": names}
            )
    if row.get("avance"):
        values["progress"] = row["avance"]
        values["progress_by_hand"] = True
    if row.get("peso"):
        values["weight"] = row["peso"]
    for column, name in (("inicio", "start_date"), ("fin", "end_date")):
        if column in row:
            try:
                values[name] = _date(row[column])
            except ValueError:
                problems.append(_("the date “%(date)s” is not YYYY-MM-DD or DD/MM/YYYY.") % {"date": row[column]})
    if "unidad" in row:
        values["unit_key"], values["unit_name"] = _unit(government, row["unidad"])
    if "publicado" in row:
        flag = row["publicado"].lower()
        if flag in YES:
            values["is_published"] = True
        elif flag in NO:
            values["is_published"] = False
        else:
            problems.append(_("“publicado” must be sí or no."))
    try:
        links = _links(row.get("vinculos", ""))
    except ValueError as error:
        kinds = ", ".join(catalog.LINK_KIND_MAP)
        problems.append(
            _("the link “%(link)s” is not kind:key with a kind among %(kinds)s.")
            % {"link": error.args[0], "kinds": kinds}
        )
        links = []
    return values, links, problems


def _messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [message for messages in error.message_dict.values() for message in messages]
    return list(error.messages)


def import_results(*, actor, government, process, content: bytes) -> ImportReport:
    """Create or update the results of ``process`` from a CSV file; raises ImportRefused
    (nothing saved) when a row is bad."""
    rows = _read(content)
    problems: list[tuple[int, str]] = []
    report = ImportReport()
    with transaction.atomic():
        known = {r.reference: r for r in selectors.office_results(government, process).exclude(reference="")}
        seen: set[str] = set()
        for row in rows:
            line = row["line"]
            values, links, row_problems = _values(government, row)
            reference = values.get("reference", "")
            if reference and reference in seen:
                row_problems.append(_("the reference “%(ref)s” appears twice in the file.") % {"ref": reference})
            seen.add(reference)
            parent = None
            if row.get("padre"):
                parent = known.get(row["padre"])
                if parent is None:
                    row_problems.append(
                        _("no result with the reference “%(ref)s” above this line or in the process.")
                        % {"ref": row["padre"]}
                    )
            if row_problems:
                problems.extend((line, message) for message in row_problems)
                continue
            existing = known.get(reference) if reference else None
            try:
                if existing is None:
                    values.setdefault("is_published", True)
                    saved = services.result_create(
                        actor=actor, government=government, process=process, values=values, parent=parent
                    )
                    report.created += 1
                else:
                    saved = services.result_update(
                        actor=actor,
                        government=government,
                        result=existing,
                        values=values,
                        parent=parent if "padre" in row else services._PARENT_UNCHANGED,
                    )
                    report.updated += 1
            except ValidationError as error:
                problems.extend((line, message) for message in _messages(error))
                continue
            if reference:
                known[reference] = saved
            if "vinculos" in row:
                _replace_links(government, saved, links)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(sorted(problems, key=lambda item: item[0]))
    return report


def _replace_links(government, result: Result, links: list[tuple[str, str]]) -> None:
    """The row's links become the result's (unresolved keys are kept: they show once their
    module publishes them)."""
    ResultLink.objects.for_government(government).filter(result=result).exclude(
        pk__in=[
            link.pk
            for link in ResultLink.objects.for_government(government).filter(result=result)
            if (link.kind, link.key) in set(links)
        ]
    ).delete()
    for kind, key in links:
        ResultLink.objects.get_or_create(government=government, result=result, kind=kind, key=key[:200])
