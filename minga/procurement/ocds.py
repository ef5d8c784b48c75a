"""OCDS 1.1 without the network: reading what SERCOP publishes (release packages, record
packages, compiled releases, bare lists; JSON, gzip or zip), structural validation of the
fields this module uses, and compiling releases with the OCDS merge rules.

The reference tools (libcoveocds, ocdsmerge, ocdskit) download the release schema and its merge
rules from the standard's website at run time, and no package ships them, so a portal with no
outbound access could not validate or compile with them. The rules implemented here are the
ones of the "Merging" page of the standard for version 1.1:

- releases are applied in date order (a stable sort, so equal dates keep the file's order);
- a later value replaces an earlier one; an explicit null removes the field;
- objects are merged field by field;
- arrays of objects that all carry an `id` are merged by that id (identifier merge), items
  with new ids are appended in order of appearance;
- every other array, and the arrays the schema marks `wholeListMerge` (organisation
  references of tenderers and suppliers, additional classifications and identifiers), is
  replaced whole;
- the compiled release gets `tag: ["compiled"]` and the `id`/`date` of the latest release.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

RELEASE_TAGS = frozenset(
    {
        "planning",
        "planningUpdate",
        "tender",
        "tenderAmendment",
        "tenderUpdate",
        "tenderCancellation",
        "award",
        "awardUpdate",
        "awardCancellation",
        "contract",
        "contractUpdate",
        "contractAmendment",
        "implementation",
        "implementationUpdate",
        "contractTermination",
        "compiled",
    }
)
# Arrays that OCDS 1.1 replaces whole even though their items carry ids.
WHOLE_LIST_KEYS = frozenset({"tenderers", "suppliers", "additionalClassifications", "additionalIdentifiers"})
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


def _amount_problem(value, path: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        return _("%(path)s must be an object with amount and currency.") % {"path": path}
    amount = value.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float | Decimal)):
        return _("%(path)s.amount must be a number, not %(value)s.") % {
            "path": path,
            "value": json.dumps(amount, default=str)[:40],
        }
    currency = value.get("currency")
    if currency is not None and not (isinstance(currency, str) and len(currency) == 3):
        return _("%(path)s.currency must be a three-letter ISO 4217 code.") % {"path": path}
    return None


def _date_problem(container, key: str, path: str) -> str | None:
    if not isinstance(container, dict) or container.get(key) in (None, ""):
        return None
    if parse_date(container[key]) is None:
        return _("%(path)s is not an ISO 8601 date: %(value)s.") % {"path": path, "value": str(container[key])[:40]}
    return None


def _array_of_objects(container, key: str, path: str, problems: list[str]) -> list[dict]:
    if not isinstance(container, dict) or container.get(key) is None:
        return []
    value = container[key]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        problems.append(_("%(path)s must be a list of objects.") % {"path": path})
        return []
    return value


def release_problems(release) -> list[str]:
    """Why this release cannot be imported (empty when it can): the required fields of an
    OCDS 1.1 release and the types of every field the module reads."""
    if not isinstance(release, dict):
        return [_("The release is not a JSON object.")]
    problems: list[str] = []
    ocid = release.get("ocid")
    if not isinstance(ocid, str) or not ocid.strip():
        problems.append(_("ocid is missing or not a text."))
    elif len(ocid) > 200:
        problems.append(_("ocid is longer than 200 characters."))
    release_id = release.get("id")
    if isinstance(release_id, bool) or not isinstance(release_id, str | int) or str(release_id).strip() == "":
        problems.append(_("id is missing or not a text."))
    elif len(str(release_id)) > 300:
        problems.append(_("id is longer than 300 characters."))
    if "date" not in release:
        problems.append(_("date is missing."))
    elif parse_date(release.get("date")) is None:
        problems.append(_("date is not an ISO 8601 date: %(value)s.") % {"value": str(release.get("date"))[:40]})
    tags = release.get("tag")
    if not isinstance(tags, list) or not tags:
        problems.append(_("tag must be a non-empty list."))
    else:
        unknown = [str(tag) for tag in tags if tag not in RELEASE_TAGS]
        if unknown:
            problems.append(
                _("tag has values outside the releaseTag codelist: %(tags)s.") % {"tags": ", ".join(unknown)[:100]}
            )
    for section in ("planning", "tender", "buyer", "bids"):
        if release.get(section) is not None and not isinstance(release[section], dict):
            problems.append(_("%(section)s must be an object.") % {"section": section})
    planning = release.get("planning") if isinstance(release.get("planning"), dict) else {}
    budget = planning.get("budget") if isinstance(planning.get("budget"), dict) else None
    if budget is not None:
        found = _amount_problem(budget.get("amount"), "planning.budget.amount")
        if found:
            problems.append(found)
    tender = release.get("tender") if isinstance(release.get("tender"), dict) else {}
    for check in (
        _amount_problem(tender.get("value"), "tender.value"),
        _date_problem(tender.get("tenderPeriod"), "startDate", "tender.tenderPeriod.startDate"),
        _date_problem(tender.get("tenderPeriod"), "endDate", "tender.tenderPeriod.endDate"),
    ):
        if check:
            problems.append(check)
    count = tender.get("numberOfTenderers")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        problems.append(_("tender.numberOfTenderers must be a whole number."))
    _array_of_objects(tender, "items", "tender.items", problems)
    _array_of_objects(tender, "tenderers", "tender.tenderers", problems)
    _array_of_objects(release, "parties", "parties", problems)
    for index, award in enumerate(_array_of_objects(release, "awards", "awards", problems)):
        path = f"awards[{index}]"
        if award.get("id") in (None, ""):
            problems.append(_("%(path)s.id is missing.") % {"path": path})
        for check in (
            _amount_problem(award.get("value"), f"{path}.value"),
            _date_problem(award, "date", f"{path}.date"),
        ):
            if check:
                problems.append(check)
        _array_of_objects(award, "suppliers", f"{path}.suppliers", problems)
        _array_of_objects(award, "items", f"{path}.items", problems)
    for index, contract in enumerate(_array_of_objects(release, "contracts", "contracts", problems)):
        path = f"contracts[{index}]"
        if contract.get("id") in (None, ""):
            problems.append(_("%(path)s.id is missing.") % {"path": path})
        found = _amount_problem(contract.get("value"), f"{path}.value")
        if found:
            problems.append(found)
        _array_of_objects(contract, "amendments", f"{path}.amendments", problems)
    bids = release.get("bids") if isinstance(release.get("bids"), dict) else {}
    for index, bid in enumerate(_array_of_objects(bids, "details", "bids.details", problems)):
        found = _amount_problem(bid.get("value"), f"bids.details[{index}].value")
        if found:
            problems.append(found)
    return problems


# Compiling ---------------------------------------------------------------------------------------


def canonical_text(release: dict) -> str:
    return json.dumps(release, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical_digest(release: dict) -> str:
    return digest_of(canonical_text(release))


def digest_of(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _identified(items) -> bool:
    return bool(items) and all(isinstance(item, dict) and item.get("id") not in (None, "") for item in items)


def _merge_value(current, new, key: str):
    if isinstance(new, dict):
        base = current if isinstance(current, dict) else {}
        return _merge_object(dict(base), new)
    if isinstance(new, list) and key not in WHOLE_LIST_KEYS and _identified(new):
        merged: dict[str, dict] = {}
        if isinstance(current, list) and _identified(current):
            merged = {str(item["id"]): item for item in current}
        for item in new:
            item_id = str(item["id"])
            merged[item_id] = _merge_object(dict(merged.get(item_id, {})), item)
        return list(merged.values())
    return new


def _merge_object(target: dict, new: dict) -> dict:
    for key, value in new.items():
        if value is None:
            target.pop(key, None)
        else:
            target[key] = _merge_value(target.get(key), value, key)
    return target


def release_sort_key(release: dict):
    return parse_date(release.get("date")) or dt.datetime.min.replace(tzinfo=dt.UTC)


def compile_releases(releases: Iterable[dict]) -> dict:
    """The compiled release of one OCID from its releases (any order)."""
    ordered = sorted(releases, key=release_sort_key)
    compiled: dict = {}
    for release in ordered:
        body = {key: value for key, value in release.items() if key not in ("tag", "id", "date")}
        _merge_object(compiled, body)
    if ordered:
        latest = ordered[-1]
        compiled["id"] = f"{latest.get('ocid')}-{latest.get('date')}"
        compiled["date"] = latest.get("date")
        compiled["tag"] = ["compiled"]
    return compiled


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
