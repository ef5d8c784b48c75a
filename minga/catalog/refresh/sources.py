"""Where a refreshed resource's data comes from: a web address (CSV, XLSX or JSON) fetched
through the guarded outbound client, or a read-only SQL query on a source database the operator
configured (``settings.SQL_SOURCES``, parsed by ``minga.settings.base.parse_sql_sources``). Either way the result is a file the normal loader reads,
plus the original bytes kept as the version's download. A source database exists only for the
governments the operator gave it to: another government's editor is not offered it, cannot
save it and its scheduled check refuses to run it.

Everything that can go wrong with the source raises ``SourceError`` with a message for the
official; the caller keeps the previous version live."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import decimal
import hashlib
import io
import json
import re
import sqlite3
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

import dj_database_url
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from minga.core import outbound
from minga.core.registry import module_settings

from ..datasets import files
from ..datasets.models import Resource, ResourceFormat
from . import schedules

SPOOL_BYTES = 4 * 1024 * 1024
SQL_TIMEOUT_MS = 60_000
JSON_ROW_KEYS = ("records", "data", "rows", "results", "items")
WRITE_WORDS = re.compile(
    r"\b(insert|update|delete|merge|alter|drop|create|grant|revoke|truncate|copy|call|execute|vacuum|attach|"
    r"detach|pragma|reindex|begin|commit|rollback|savepoint|set|reset)\b",
    re.IGNORECASE,
)


class SourceError(Exception):
    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass
class SourceData:
    """What a check brought back. ``table`` is what the loader reads (``table_name`` tells it
    the format); ``original`` is what the source sent, kept as the version's file."""

    not_modified: bool = False
    original: IO[bytes] | None = None
    original_name: str = ""
    table: IO[bytes] | None = None
    table_name: str = ""
    format: str = ResourceFormat.CSV
    size: int = 0
    sha256: str = ""
    etag: str = ""
    last_modified: str = ""

    def close(self) -> None:
        for handle in {id(h): h for h in (self.original, self.table) if h is not None}.values():
            handle.close()


def only_hosts(government) -> list[str]:
    """The only hosts the government's administrator wants data fetched from (empty: any
    public host). It narrows what the operator allows, never widens it: an internal address
    stays refused unless the operator listed the host (``minga.core.outbound``)."""
    return outbound.normalise_hosts(module_settings(government, "catalog").get("outbound_only_hosts", ""))


# Web addresses ------------------------------------------------------------------------------


def _looks_like_html(head: bytes, content_type: str) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<head", b"<body")):
        return True
    return "html" in content_type.lower() and text.startswith(b"<")


def _utf16_to_utf8(body: IO[bytes]) -> IO[bytes]:
    """Excel's "Unicode text" export is UTF-16 with a byte order mark: convert it, streaming."""
    body.seek(0)
    converted = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned
    reader = codecs.getreader("utf-16")(body)
    try:
        while chunk := reader.read(256 * 1024):
            converted.write(chunk.encode("utf-8"))
    except UnicodeDecodeError as error:
        converted.close()
        raise SourceError(
            _("The file says it is UTF-16 text but it is not readable as such."), code="encoding"
        ) from error
    converted.seek(0)
    return converted


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _write_csv(header: list[str], rows: Iterable[Iterable[Any]], *, limit: int) -> tuple[IO[bytes], int]:
    """Rows to a UTF-8 CSV in a temporary file, stopping at ``limit`` bytes."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - returned
    text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(header)
    try:
        for row in rows:
            writer.writerow([_cell(value) for value in row])
            if out.tell() > limit:
                raise SourceError(
                    _("The result is larger than the limit of %(limit)s.") % {"limit": filesizeformat(limit)},
                    code="too_large",
                )
    except BaseException:
        text.detach()
        out.close()
        raise
    text.flush()
    text.detach()
    size = out.tell()
    out.seek(0)
    return out, size


def json_to_csv(body: IO[bytes], *, limit: int) -> IO[bytes]:
    """A JSON array of objects, or an object holding one under "records" (or data, rows,
    results, items), as a CSV with one column per key (in order of first appearance)."""
    body.seek(0)
    try:
        data = json.loads(body.read().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as error:
        raise SourceError(_("The JSON could not be read: %(error)s") % {"error": error}, code="json") from error
    if isinstance(data, dict):
        data = next((data[key] for key in JSON_ROW_KEYS if isinstance(data.get(key), list)), data)
    if not isinstance(data, list) or not data or not all(isinstance(item, dict) for item in data):
        raise SourceError(
            _(
                "The JSON is not a table. Minga reads a list of objects, one per row "
                "(or an object with that list under “records”)."
            ),
            code="json_shape",
        )
    header: dict[str, None] = {}
    for item in data:
        header.update(dict.fromkeys(map(str, item)))
    names = list(header)
    table, _size = _write_csv(names, ([item.get(name) for name in names] for item in data), limit=limit)
    return table


DELIMITERS = (";", ",", "\t", "|")
SAMPLE_ROWS = 50


def _text_stream(body: IO[bytes]) -> io.TextIOWrapper:
    """The CSV as text: UTF-8 when it all decodes, else Windows-1252 (what the loader accepts)."""
    body.seek(0)
    decoder, encoding = codecs.getincrementaldecoder("utf-8-sig")(), "utf-8-sig"
    try:
        for chunk in iter(lambda: body.read(1024 * 1024), b""):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        encoding = "cp1252"
    body.seek(0)
    return io.TextIOWrapper(body, encoding=encoding, errors="replace", newline="")


def _width(cells: list[str]) -> int:
    """Cells up to the last non-empty one (Excel pads rows with empty cells)."""
    width = len(cells)
    while width and not cells[width - 1].strip():
        width -= 1
    return width


def _modal_width(lines: list[str], delimiter: str) -> tuple[int, int]:
    """(the most common row width above 1, how many rows have it) in a sample."""
    widths = [w for w in (_width(row) for row in csv.reader(lines, delimiter=delimiter)) if w > 1]
    if not widths:
        return 0, 0
    common = max(sorted(set(widths)), key=widths.count)
    return common, widths.count(common)


def check_csv(body: IO[bytes]) -> None:
    """Structural problems the loader would otherwise load quietly: a quoted value that never
    closes, or rows with more values than the table has columns (data would be lost)."""
    text = _text_stream(body)
    try:
        sample = [line for _n, line in zip(range(SAMPLE_ROWS), text, strict=False)]
        delimiter, (columns, _count) = max(
            ((d, _modal_width(sample, d)) for d in DELIMITERS), key=lambda item: item[1][1]
        )
        text.seek(0)
        reader = csv.reader(text, delimiter=delimiter, strict=True)
        header_seen, data_rows = False, 0
        try:
            for row in reader:
                width = _width(row)
                if header_seen:
                    data_rows += width > 0
                elif width > 1 or (columns <= 1 and width):
                    header_seen = True
                if columns and width > columns:
                    raise SourceError(
                        _(
                            "The CSV is malformed: line %(line)s has %(values)s values but the table has "
                            "%(columns)s columns. The previous version stays published."
                        )
                        % {"line": reader.line_num, "values": width, "columns": columns},
                        code="malformed_csv",
                    )
        except csv.Error as error:
            raise SourceError(
                _(
                    "The CSV is malformed near line %(line)s: a quoted value is not closed properly. "
                    "The previous version stays published."
                )
                % {"line": reader.line_num},
                code="malformed_csv",
            ) from error
        if not data_rows:
            raise SourceError(_("The file has no rows of data. The previous version stays published."), code="no_rows")
    finally:
        text.detach()
        body.seek(0)


def _classify(result: outbound.FetchResult, *, limit: int) -> SourceData:
    body = result.body
    assert body is not None
    head = body.read(files.SNIFF_BYTES)
    body.seek(0)
    data = SourceData(
        original=body, size=result.size, sha256=result.sha256, etag=result.etag, last_modified=result.last_modified
    )
    if not head.strip():
        raise SourceError(_("The address returned an empty file."), code="empty")
    if _looks_like_html(head, result.content_type):
        raise SourceError(
            _(
                "The address returned a web page (HTML) instead of data. Use the address of the file itself "
                "(often the “download” link), not of the page that shows it."
            ),
            code="html",
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        data.table, data.table_name, data.original_name = _utf16_to_utf8(body), "datos.csv", "datos.csv"
        check_csv(data.table)
        return data
    detected = files.sniff_format(body, head)
    body.seek(0)
    if detected == ResourceFormat.CSV:
        check_csv(body)
        data.table, data.table_name, data.original_name = body, "datos.csv", "datos.csv"
    elif detected == ResourceFormat.XLSX:
        data.format = ResourceFormat.XLSX
        data.table, data.table_name, data.original_name = body, "datos.xlsx", "datos.xlsx"
    elif detected == ResourceFormat.JSON:
        data.format = ResourceFormat.JSON
        data.table, data.table_name, data.original_name = json_to_csv(body, limit=limit), "datos.csv", "datos.json"
    elif detected == ResourceFormat.OTHER and b"\x00" in head:
        raise SourceError(
            _(
                "The file is not text in a known encoding (UTF-8, Windows-1252 or Latin-1) nor a spreadsheet. "
                "Save it as “CSV UTF-8” and try again."
            ),
            code="encoding",
        )
    else:
        raise SourceError(
            _("The address returned %(format)s, not a table. Use a CSV, XLSX or JSON file.")
            % {"format": ResourceFormat(detected).label},
            code="not_tabular",
        )
    return data


def fetch_url(resource: Resource, *, only: Iterable[str] = (), conditional: bool = True) -> SourceData:
    limit = settings.DATASET_UPLOAD_MAX_BYTES
    try:
        result = outbound.fetch(
            resource.url,
            only_hosts=list(only),
            etag=resource.source_etag if conditional else "",
            last_modified=resource.source_last_modified if conditional else "",
            max_bytes=limit,
            accept="text/csv, application/json, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, "
            "text/plain;q=0.9, */*;q=0.5",
        )
    except outbound.OutboundError as error:
        raise SourceError(error.user_message, code=error.code) from error
    if result.not_modified:
        return SourceData(not_modified=True, etag=result.etag, last_modified=result.last_modified)
    try:
        return _classify(result, limit=limit)
    except BaseException:
        result.close()
        raise


# SQL sources ----------------------------------------------------------------------------------


def _granted_sources(government) -> dict[str, str]:
    """name → URL of the source databases the operator gave this government. An entry without
    governments (or in an older, plain "name → URL" form) is given to none."""
    slug = (getattr(government, "slug", "") or "").lower()
    granted = {}
    for name, entry in (getattr(settings, "SQL_SOURCES", {}) or {}).items():
        if isinstance(entry, dict) and slug and slug in {str(g).lower() for g in entry.get("governments", ())}:
            granted[name] = entry["url"]
    return granted


def sql_source_names(government) -> list[str]:
    return sorted(_granted_sources(government))


def _strip_sql(query: str) -> str:
    """The query with comments removed and string literals and quoted names blanked, so that
    keywords and semicolons can be looked for safely."""
    out, i, n = [], 0, len(query)
    while i < n:
        two = query[i : i + 2]
        char = query[i]
        if two == "--":
            end = query.find("\n", i)
            i = n if end == -1 else end
        elif two == "/*":
            end = query.find("*/", i + 2)
            i = n if end == -1 else end + 2
            out.append(" ")
        elif char in ("'", '"'):
            end = i + 1
            while end < n:
                if query[end] == char:
                    if query[end + 1 : end + 2] == char:  # doubled quote inside
                        end += 2
                        continue
                    break
                end += 1
            out.append(" '' ")
            i = end + 1
        else:
            out.append(char)
            i += 1
    return "".join(out)


def check_sql_query(query: str) -> str:
    """The query if it is one read-only SELECT (or WITH … SELECT); ValidationError otherwise."""
    query = (query or "").strip()
    bare = _strip_sql(query).strip()
    while bare.endswith(";"):
        bare = bare[:-1].rstrip()
    if not bare:
        raise ValidationError(_("Write the query."))
    if ";" in bare:
        raise ValidationError(_("Write a single query: several statements separated by “;” are not allowed."))
    first = bare.split(None, 1)[0].lower()
    if first not in ("select", "with"):
        raise ValidationError(_("Only queries that read data are allowed: start with SELECT (or WITH … SELECT)."))
    found = WRITE_WORDS.search(bare)
    if found:
        raise ValidationError(
            _("Only queries that read data are allowed: “%(word)s” is not.") % {"word": found.group(0).upper()}
        )
    if re.search(r"\binto\b", bare, re.IGNORECASE):
        raise ValidationError(_("SELECT … INTO is not allowed: the query must only read data."))
    return query.rstrip().rstrip(";").rstrip()


def _rows_sqlite(path: str, query: str, deadline: float) -> tuple[list[str], Iterator[tuple], Any]:
    uri = "file:" + path.replace("?", "%3f").replace("#", "%23") + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, timeout=5)
    try:
        conn.execute("PRAGMA query_only=ON")
        conn.set_progress_handler(lambda: 1 if time.monotonic() > deadline else 0, 10_000)
        cursor = conn.execute(query)
    except BaseException:
        conn.close()
        raise
    names = [column[0] for column in cursor.description or ()]

    def rows():
        while batch := cursor.fetchmany(2000):
            yield from batch

    return names, rows(), conn


def _rows_postgres(url: str, query: str) -> tuple[list[str], Iterator[tuple], Any]:
    """A server-side cursor (``DECLARE … CURSOR`` itself only takes a SELECT or VALUES) in a
    read-only transaction with a statement timeout."""
    import psycopg

    conn = psycopg.connect(url, connect_timeout=10, autocommit=False)
    try:
        with conn.cursor() as setup:
            setup.execute("SET TRANSACTION READ ONLY")
            setup.execute("SELECT set_config('statement_timeout', %s, true)", [str(SQL_TIMEOUT_MS)])
        cursor = conn.cursor(name="minga_source")
        cursor.itersize = 2000
        cursor.execute(query)
    except BaseException:
        conn.close()
        raise
    names = [column.name for column in cursor.description or ()]

    def rows():
        while batch := cursor.fetchmany(2000):
            yield from batch

    return names, rows(), conn


def _sql_value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value, "f")
    if isinstance(value, bytes | memoryview):
        return ""
    return value


def run_query(government, source: str, query: str) -> SourceData:
    """Run the query read-only on the named source, if the operator gave it to the government;
    the rows come back as a CSV file."""
    sources = _granted_sources(government)
    if source not in sources:
        raise SourceError(
            _(
                "The source database “%(name)s” is not available to this government: the platform operator has "
                "not given it or has taken it away. Choose another source or ask the operator."
            )
            % {"name": source},
            code="no_source",
        )
    try:
        query = check_sql_query(query)
    except ValidationError as error:
        raise SourceError(" ".join(error.messages), code="bad_query") from error
    config = dj_database_url.parse(sources[source])
    engine = config.get("ENGINE", "")
    conn = None
    try:
        if engine.endswith("sqlite3"):
            names, rows, conn = _rows_sqlite(str(config["NAME"]), query, time.monotonic() + SQL_TIMEOUT_MS / 1000)
        elif "postgresql" in engine:
            names, rows, conn = _rows_postgres(sources[source], query)
        else:
            raise SourceError(_("This kind of source database is not supported."), code="no_source")
        if not names:
            raise SourceError(_("The query returned no columns."), code="bad_query")
        table, size = _write_csv(
            names,
            ([_sql_value(value) for value in row] for row in rows),
            limit=settings.DATASET_UPLOAD_MAX_BYTES,
        )
    except SourceError:
        raise
    except Exception as error:  # the database's own message is the useful one
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise SourceError(_("The query failed: %(error)s") % {"error": first_line}, code="query_failed") from error
    finally:
        if conn is not None:
            with contextlib.suppress(Exception):  # closing anyway
                conn.rollback()
            conn.close()
    digest = hashlib.sha256()
    for chunk in iter(lambda: table.read(1024 * 1024), b""):
        digest.update(chunk)
    table.seek(0)
    return SourceData(
        original=table,
        original_name="datos.csv",
        table=table,
        table_name="datos.csv",
        size=size,
        sha256=digest.hexdigest(),
    )


# Keeping a resource's source settings coherent ------------------------------------------------

SOURCE_FIELDS = ("kind", "url", "sql_source", "sql_query")


def prepare_resource(resource: Resource, *, previous: dict | None, now: dt.datetime) -> None:
    """Validate and tidy what the official chose as the source, before the service saves it:
    SQL needs a source the operator gave to the resource's government and a read-only query, a cron must be valid; a new source
    forgets what was known about the old one and is checked right away when kept current.
    ``previous`` holds the stored values (None for a new resource)."""
    errors: dict[str, list[str]] = {}
    if resource.kind == Resource.Kind.SQL:
        if resource.sql_source not in _granted_sources(resource.government):
            errors["sql_source"] = [_("Choose one of the source databases given to your government.")]
        try:
            resource.sql_query = check_sql_query(resource.sql_query)
        except ValidationError as error:
            errors["sql_query"] = error.messages
        resource.url = ""
        resource.format = ResourceFormat.CSV
    elif resource.kind == Resource.Kind.URL:
        resource.sql_source, resource.sql_query = "", ""
    else:
        resource.auto_refresh, resource.refresh_cron, resource.sql_source, resource.sql_query = False, "", "", ""
    try:
        resource.refresh_cron = schedules.validate_cron(resource.refresh_cron)
    except ValidationError as error:
        errors["refresh_cron"] = error.messages
    if errors:
        raise ValidationError(errors)
    changed = previous is None or any(previous.get(name) != getattr(resource, name) for name in SOURCE_FIELDS)
    if changed:
        resource.source_etag, resource.source_last_modified = "", ""
        resource.check_error, resource.check_failures = "", 0
    elif resource.kind == Resource.Kind.URL and previous.get("format"):
        resource.format = previous["format"]  # detected from the content at the last check
    if resource.kind == Resource.Kind.UPLOAD or not resource.auto_refresh:
        resource.next_check_at = None
    elif changed or resource.next_check_at is None or previous.get("refresh_cron") != resource.refresh_cron:
        resource.next_check_at = now
