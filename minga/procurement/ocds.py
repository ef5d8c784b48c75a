"""OCDS 1.1 without the network: reading what SERCOP publishes (release packages, record
packages, compiled releases, bare lists; JSON, gzip or zip), validating every release against
the official OCDS 1.1.5 release schema shipped in `schema/`, and compiling releases with the
OCDS merge rules.

The reference tools (libcoveocds, ocdsmerge, ocdskit) fetch the release schema from the
standard's website when they are not given one; no installed package holds it, so the module
ships the file itself (see schema/README.md). Validation uses it through jsonschema-rs;
compiling through `ocdsmerge`, the standard's reference implementation of "Merging", whose
merge rules (`wholeListMerge`, `omitWhenMerged`, arrays of objects without `id`) are read
from the same file once per process, never from the network:

- releases are applied in date order (compared as dates, so offsets written differently
  still order by the instant; a stable sort, so equal dates keep the file's order);
- a later value replaces an earlier one; an explicit null removes the field;
- objects are merged field by field;
- arrays of objects are merged by `id` (identifier merge), items with new ids appended in
  order of appearance;
- arrays of other values, and those the schema marks `wholeListMerge` or whose items have no
  `id`, are replaced whole;
- the compiled release gets `tag: ["compiled"]` and the `id`/`date` of the latest release.
"""

from __future__ import annotations

import datetime as dt
import functools
import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

import jsonschema_rs
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ocdsmerge.merge import CompiledRelease
from ocdsmerge.rules import get_merge_rules

# The official release schema, shipped with the module (provenance and licence: schema/README.md).
SCHEMA_FILE = Path(__file__).with_name("schema") / "release-schema-1.1.5.json"
MAX_SCHEMA_PROBLEMS = 20
MAX_AMOUNT = Decimal(10) ** 15  # sums of a few such amounts still fit numeric(18, 2)
MAX_FILE_BYTES = 2 * 1024**3
MAX_MEMBERS = 10_000


class UnreadableFile(Exception):
    """The file as a whole cannot be read: not JSON, not OCDS, a broken archive."""


@dataclass
class SourceRelease:
    data: dict
    where: str  # position in the file, for the report: "releases[12]", "mes-01.json: records[3]"


@dataclass
class ReadFile:
    source_format: str
    releases: list[SourceRelease] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)  # items the reader could not use at all


def looks_readable(head: bytes) -> bool:
    """Whether the first bytes of a file could start what ``read_file`` reads (gzip, zip, or
    JSON text): the back office's cheap check before it queues a file."""
    if head[:2] == b"\x1f\x8b" or head[:4] == b"PK\x03\x04":
        return True
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    return text[:1] in (b"{", b"[")


def _json_documents(name: str, raw: bytes) -> Iterator[tuple[str, bytes]]:
    """(member name, JSON bytes) of the file, unwrapping gzip and zip."""
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise UnreadableFile(_("The gzip file is damaged: %(error)s") % {"error": error}) from error
        yield from _json_documents(name.removesuffix(".gz"), raw)
        return
    if raw[:4] == b"PK\x03\x04":
        try:
            archive = zipfile.ZipFile(io.BytesIO(raw))
            members = [info for info in archive.infolist() if not info.is_dir()]
        except zipfile.BadZipFile as error:
            raise UnreadableFile(_("The zip file is damaged: %(error)s") % {"error": error}) from error
        members = [info for info in members if info.filename.lower().endswith((".json", ".json.gz"))]
        if not members:
            raise UnreadableFile(_("The zip file holds no .json file."))
        if len(members) > MAX_MEMBERS:
            raise UnreadableFile(_("The zip file holds too many files (at most %(count)s).") % {"count": MAX_MEMBERS})
        total = sum(info.file_size for info in members)
        if total > MAX_FILE_BYTES:
            raise UnreadableFile(_("The zip file expands to more than 2 GB."))
        for info in sorted(members, key=lambda item: item.filename):
            try:
                content = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise UnreadableFile(
                    _("%(member)s inside the zip file is damaged: %(error)s")
                    % {"member": info.filename, "error": error}
                ) from error
            yield from _json_documents(info.filename, content)
        return
    yield name, raw


def _parse(name: str, raw: bytes):
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnreadableFile(
            _("%(name)s is not UTF-8 text (byte %(position)s).") % {"name": name, "position": error.start}
        ) from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            _("%(name)s is not valid JSON: %(error)s at line %(line)s, column %(column)s.")
            % {"name": name, "error": error.msg, "line": error.lineno, "column": error.colno}
        ) from error


def _is_release_package(document) -> bool:
    return isinstance(document, dict) and "releases" in document and "ocid" not in document


def _is_record_package(document) -> bool:
    return isinstance(document, dict) and "records" in document


def _record_releases(record: dict, where: str, problems: list[dict]) -> list[SourceRelease]:
    """A record's full embedded releases; when it only links them, its compiled release."""
    embedded = record.get("releases")
    full = []
    if isinstance(embedded, list):
        full = [item for item in embedded if isinstance(item, dict) and ("ocid" in item or "tender" in item)]
        full = [item for item in full if set(item) - {"url", "date", "tag"}]
    if full:
        return [SourceRelease(item, f"{where}.releases[{index}]") for index, item in enumerate(full)]
    compiled = record.get("compiledRelease")
    if isinstance(compiled, dict):
        return [SourceRelease(compiled, f"{where}.compiledRelease")]
    problems.append(
        {
            "where": where,
            "ocid": str(record.get("ocid", ""))[:200],
            "release": "",
            "message": _("The record has neither embedded releases nor a compiled release."),
        }
    )
    return []


def read_file(name: str, raw: bytes) -> ReadFile:
    """Every release the file holds, wherever it sits. Raises UnreadableFile when the file
    itself cannot be read (nothing of it is imported then)."""
    if not raw.strip():
        raise UnreadableFile(_("The file is empty."))
    if len(raw) > MAX_FILE_BYTES:
        raise UnreadableFile(_("The file is larger than 2 GB; split it (for example, one file per month)."))
    formats: list[str] = []
    found = ReadFile(source_format="")
    for member, content in _json_documents(name, raw):
        document = _parse(member, content)
        prefix = f"{member}: " if member != name else ""
        if _is_record_package(document):
            formats.append("record package")
            records = document["records"]
            if not isinstance(records, list):
                raise UnreadableFile(_("%(name)s: “records” is not a list.") % {"name": member})
            for index, record in enumerate(records):
                where = f"{prefix}records[{index}]"
                if not isinstance(record, dict):
                    found.problems.append(
                        {"where": where, "ocid": "", "release": "", "message": _("The record is not an object.")}
                    )
                    continue
                found.releases.extend(_record_releases(record, where, found.problems))
        elif _is_release_package(document):
            formats.append("release package")
            releases = document["releases"]
            if not isinstance(releases, list):
                raise UnreadableFile(_("%(name)s: “releases” is not a list.") % {"name": member})
            found.releases.extend(
                SourceRelease(item, f"{prefix}releases[{index}]") for index, item in enumerate(releases)
            )
        elif isinstance(document, list):
            formats.append("releases")
            found.releases.extend(SourceRelease(item, f"{prefix}[{index}]") for index, item in enumerate(document))
        elif isinstance(document, dict) and "ocid" in document:
            formats.append("compiled release" if "compiled" in (document.get("tag") or []) else "release")
            found.releases.append(SourceRelease(document, prefix.rstrip(": ") or "release"))
        else:
            raise UnreadableFile(
                _(
                    "%(name)s is JSON but not OCDS: expected a release package (“releases”), a record "
                    "package (“records”), a release or a list of releases."
                )
                % {"name": member}
            )
    found.source_format = ", ".join(dict.fromkeys(formats))
    return found


# Validation -------------------------------------------------------------------------------------


def parse_date(value) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = parse_datetime(value)
    except ValueError:
        return None
    if parsed is None:
        try:
            day = dt.date.fromisoformat(value[:10]) if len(value) == 10 else None
        except ValueError:
            return None
        if day is None:
            return None
        parsed = dt.datetime.combine(day, dt.time.min)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _path(parts) -> str:
    """A location in the release as it reads in the report: tender.items[0].id."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _shown(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)[:60]


@functools.cache
def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.cache
def _validator():
    """Built once per process: compiling the schema costs far more than checking a release."""
    return jsonschema_rs.Draft4Validator(_schema(), validate_formats=True)


def _codelist(schema_path) -> str:
    """The codelist named beside the enum that failed; an array's enum sits in its items."""
    parts = list(schema_path)[:-1]
    nodes = [_schema()]
    for part in parts:
        parent = nodes[-1]
        nodes.append(parent[part] if isinstance(parent, dict | list) else {})
    candidates = [nodes[-1], nodes[-2]] if parts and parts[-1] == "items" else [nodes[-1]]
    for node in candidates:
        if isinstance(node, dict) and node.get("codelist"):
            return str(node["codelist"]).removesuffix(".csv")
    return ""


def _type_names(types) -> str:
    names = {
        "string": _("a text"),
        "number": _("a number"),
        "integer": _("a whole number"),
        "object": _("an object"),
        "array": _("a list"),
        "boolean": _("true or false"),
        "null": _("null"),
    }
    wanted = [names.get(kind, kind) for kind in types if kind != "null"] or [names["null"]]
    return _(" or ").join(wanted)


def _found_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float | Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _schema_message(error) -> str:
    """One schema error in plain words (Spanish first, through the catalogue), with its path."""
    kinds = jsonschema_rs.ValidationErrorKind
    kind, where = error.kind, list(error.instance_path)
    path = _path(where)
    value = _shown(error.instance)
    if isinstance(kind, kinds.Required):
        return _("%(path)s is required and missing.") % {"path": _path([*where, kind.property])}
    if isinstance(kind, kinds.Type):
        if error.instance is None and "null" in kind.types:
            # The validator hands NaN and Infinity (which Python's json reads) back as None.
            return _("%(path)s is not a finite number (NaN and Infinity are not JSON numbers).") % {"path": path}
        return _("%(path)s must be %(expected)s, not %(found)s (%(value)s).") % {
            "path": path,
            "expected": _type_names(kind.types),
            "found": _type_names([_found_type(error.instance)]),
            "value": value,
        }
    if isinstance(kind, kinds.Enum):
        codelist = _codelist(error.schema_path)
        if codelist == "currency":
            return _("%(path)s is %(value)s, not an ISO 4217 currency code (three capital letters, such as USD).") % {
                "path": path,
                "value": value,
            }
        options = [str(option) for option in kind.options if option is not None]
        allowed = ", ".join(options) if len(options) <= 16 else _("%(count)s values") % {"count": len(options)}
        if codelist:
            return _("%(path)s is %(value)s, which is not in the closed codelist %(codelist)s (%(allowed)s).") % {
                "path": path,
                "value": value,
                "codelist": codelist,
                "allowed": allowed,
            }
        return _("%(path)s is %(value)s, which is not one of the allowed values (%(allowed)s).") % {
            "path": path,
            "value": value,
            "allowed": allowed,
        }
    if isinstance(kind, kinds.Format):
        if kind.format == "date-time":
            return _(
                "%(path)s is not a date and time with its time zone (ISO 8601, such as "
                "2025-03-01T10:00:00-05:00): %(value)s."
            ) % {"path": path, "value": value}
        if kind.format == "uri":
            return _("%(path)s is not a complete web address (URI): %(value)s.") % {"path": path, "value": value}
        return _("%(path)s does not have the format %(format)s: %(value)s.") % {
            "path": path,
            "format": kind.format,
            "value": value,
        }
    if isinstance(kind, kinds.MinLength):
        return _("%(path)s must not be empty.") % {"path": path}
    if isinstance(kind, kinds.MinItems):
        return _("%(path)s must have at least %(count)s item(s).") % {"path": path, "count": kind.limit}
    if isinstance(kind, kinds.UniqueItems):
        return _("%(path)s has the same item more than once.") % {"path": path}
    if isinstance(kind, kinds.MinProperties):
        return _("%(path)s must not be an empty object.") % {"path": path}
    return _("%(path)s does not follow the OCDS 1.1 schema: %(detail)s.") % {
        "path": path or _("the release"),
        "detail": error.message[:200],
    }


def schema_problems(release: dict) -> list[str]:
    """Every way the release breaks the OCDS 1.1.5 release schema (the first
    MAX_SCHEMA_PROBLEMS, then how many more)."""
    validator = _validator()
    if validator.is_valid(release):
        return []
    problems: list[str] = []
    more = 0
    for error in validator.iter_errors(release):
        if len(problems) < MAX_SCHEMA_PROBLEMS:
            problems.append(_schema_message(error))
        else:
            more += 1
    if more:
        problems.append(_("And %(count)s more problems with the schema.") % {"count": more})
    return problems


def _stored_amounts(release: dict) -> Iterator[tuple[str, Decimal]]:
    """The amounts the module copies into its columns, with their paths."""

    def objects(value):
        return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []

    def section(value):
        return value if isinstance(value, dict) else {}

    budget = section(section(release.get("planning")).get("budget"))
    found = [("planning.budget.amount", budget.get("amount"))]
    found += [
        (f"planning.budget.budgetBreakdown[{index}].amount", part.get("amount"))
        for index, part in enumerate(objects(budget.get("budgetBreakdown")))
    ]
    found.append(("tender.value", section(release.get("tender")).get("value")))
    for key in ("awards", "contracts"):
        found += [(f"{key}[{index}].value", item.get("value")) for index, item in enumerate(objects(release.get(key)))]
    for path, value in found:
        amount = amount_of(value)
        if amount is not None:
            yield f"{path}.amount", amount


def release_problems(release) -> list[str]:
    """Why this release cannot be imported (empty when it can): everything the OCDS 1.1.5
    release schema says (types, required fields, closed codelists, date-time and URI formats),
    plus what this module's tables need beyond the schema."""
    if not isinstance(release, dict):
        return [_("The release is not a JSON object.")]
    problems = schema_problems(release)
    ocid, release_id = release.get("ocid"), release.get("id")
    if isinstance(ocid, str) and ocid and not ocid.strip():
        problems.append(_("ocid is blank."))
    elif isinstance(ocid, str) and len(ocid) > 200:
        problems.append(_("ocid is longer than 200 characters."))
    if isinstance(release_id, str) and release_id and not release_id.strip():
        problems.append(_("id is blank."))
    elif isinstance(release_id, str) and len(release_id) > 300:
        problems.append(_("id is longer than 300 characters."))
    if not problems and parse_date(release.get("date")) is None:
        # RFC 3339 allows a few spellings (leap seconds, lower-case separators) Python cannot read.
        problems.append(_("date cannot be read as a date: %(value)s.") % {"value": _shown(release.get("date"))})
    for path, amount in _stored_amounts(release):
        if abs(amount) >= MAX_AMOUNT:
            # The amount columns hold 16 digits before the point; beyond that PostgreSQL
            # refuses the row and with it the whole file.
            problems.append(
                _("%(path)s is too large to be an amount of money (%(value)s).") % {"path": path, "value": amount}
            )
    tender = release.get("tender")
    count = tender.get("numberOfTenderers") if isinstance(tender, dict) else None
    if isinstance(count, int) and not isinstance(count, bool) and count < 0:
        # The schema allows any whole number; the single-bid indicator needs a real count.
        problems.append(_("tender.numberOfTenderers must not be negative."))
    return problems


# Compiling ---------------------------------------------------------------------------------------


def canonical_text(release: dict) -> str:
    return json.dumps(release, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical_digest(release: dict) -> str:
    return digest_of(canonical_text(release))


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@functools.cache
def _merge_rules() -> dict:
    """ocdsmerge's rules from the shipped schema: given a dictionary, it resolves the schema's
    own references and reads nothing else (given nothing, it would fetch the schema)."""
    return get_merge_rules(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def release_sort_key(release: dict):
    return parse_date(release.get("date")) or dt.datetime.min.replace(tzinfo=dt.UTC)


def compile_releases(releases: Iterable[dict]) -> dict:
    """The compiled release of one OCID from its releases (any order)."""
    ordered = sorted(releases, key=release_sort_key)
    if not ordered:
        return {}
    # Appended one by one in our order: ocdsmerge's own sort compares the dates as text.
    compiled = CompiledRelease(merge_rules=_merge_rules())
    for release in ordered:
        compiled.append(release)
    return compiled.asdict()


def to_decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        found = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return found if found.is_finite() else None


def amount_of(value) -> Decimal | None:
    return to_decimal(value.get("amount")) if isinstance(value, dict) else None
