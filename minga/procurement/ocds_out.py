"""OCDS out: the record packages the module publishes (a process's record, the search's
results, the bulk file beside the open-data table), built one way and checked against the OCDS
1.1.5 record-package and release-package schemas shipped in `schema/`.

A package carries what both package schemas require: `uri`, `version` ("1.1"), `publisher`
(the government's name), `publishedDate` (the last change of the data it holds) and at least
one record. Every record has its `ocid`, its `releases` (embedded in full in a process's
record; linked as `{url, date, tag}` in the search and bulk packages, the url being the
process's record package with the release id as fragment) and its `compiledRelease`."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path
from urllib.parse import quote

import jsonschema_rs

from .ocds import SCHEMA_FILE, _schema_message

SCHEMA_DIR = Path(__file__).with_name("schema")
RECORD_PACKAGE_FILE = SCHEMA_DIR / "record-package-schema-1.1.5.json"
RELEASE_PACKAGE_FILE = SCHEMA_DIR / "release-package-schema-1.1.5.json"
OCDS_VERSION = "1.1"
MAX_PROBLEMS = 20


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def _validator(path: Path):
    """The package schema's validator; its `$ref`s to the release schema resolve to the
    shipped file, never to the network."""
    release = _load(SCHEMA_FILE)
    registry = jsonschema_rs.Registry([(release["id"], release)], draft=jsonschema_rs.Draft4)
    return jsonschema_rs.Draft4Validator(_load(path), validate_formats=True, registry=registry)


def package_problems(document) -> list[str]:
    """Every way the document breaks the record-package schema (when it has `records`) or the
    release-package schema (otherwise), in plain words, the first MAX_PROBLEMS."""
    path = RECORD_PACKAGE_FILE if isinstance(document, dict) and "records" in document else RELEASE_PACKAGE_FILE
    validator = _validator(path)
    if validator.is_valid(document):
        return []
    return [_schema_message(error) for error in validator.iter_errors(document)][:MAX_PROBLEMS]


def date_text(value: dt.datetime | None) -> str:
    value = value or dt.datetime.now(dt.UTC)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.isoformat()


def package_head(*, uri: str, publisher: str, published: dt.datetime | None) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "publisher": {"name": publisher},
        "publishedDate": date_text(published),
    }


def linked_release(record_url: str, release_id: str, date: dt.datetime, tags: list[str]) -> dict:
    """A release named by where it is found: the record package's address with the release id
    as fragment."""
    return {"url": f"{record_url}#{quote(release_id, safe='')}", "date": date_text(date), "tag": tags}


def record(ocid: str, releases: list[dict], compiled: dict) -> dict:
    return {"ocid": ocid, "releases": releases, "compiledRelease": compiled}


def record_package_text(head: dict, records) -> str:
    """The package as JSON text, written record by record (an iterable of records)."""
    return "".join(record_package_chunks(head, records))


def record_package_chunks(head: dict, records):
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "records": ['
    for index, item in enumerate(records):
        yield ("," if index else "") + json.dumps(item, ensure_ascii=False)
    yield "]}"
