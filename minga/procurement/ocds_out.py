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
import itertools
import json
from pathlib import Path
from urllib.parse import quote

import jsonschema_rs
from django.conf import settings

from minga.core.tenancy.paths import government_link, government_path

from . import selectors
from .ocds import SCHEMA_FILE, _schema_message

SCHEMA_DIR = Path(__file__).with_name("schema")
RECORD_PACKAGE_FILE = SCHEMA_DIR / "record-package-schema-1.1.5.json"
RELEASE_PACKAGE_FILE = SCHEMA_DIR / "release-package-schema-1.1.5.json"
OCDS_VERSION = "1.1"
MAX_PROBLEMS = 20
OCID_SLOT = "__ocid__"


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


def absolute_link(government, relative: str) -> str:
    """A government-relative path as an absolute URI outside any request: through the
    government's own host, or MINGA_SITE_URL; without either, a URN naming the same path."""
    link = government_link(government, relative)
    if link.startswith("//"):
        return "https:" + link
    if settings.SITE_URL:
        return settings.SITE_URL + link
    return f"urn:minga:{government.slug}:{relative.strip('/')}"


def url_pattern(address: str):
    """ocid -> the address with the ocid in place of OCID_SLOT (quoted as Django's reverse does)."""
    return lambda ocid: address.replace(OCID_SLOT, quote(ocid, safe="!$&'()*+,;=/~:@"))


def _compiled_link(url: str, compiled: dict) -> dict:
    # A process known only by its compiled release (bulk-loaded) links to that.
    tags = compiled.get("tag") or ["compiled"]
    return {"url": f"{url}#{quote(str(compiled.get('id', '')), safe='')}", "date": compiled.get("date"), "tag": tags}


def linked_records(government, processes, record_url, *, chunk: int = 500):
    """The records of these processes (with `compiled` loaded), their releases linked to each
    process's record package (`record_url(ocid)`)."""
    iterator = iter(processes)
    while batch := list(itertools.islice(iterator, chunk)):
        links = selectors.release_links(government, [process.pk for process in batch])
        for process in batch:
            url = record_url(process.ocid)
            releases = [linked_release(url, *link) for link in links[process.pk]]
            yield record(process.ocid, releases or [_compiled_link(url, process.compiled)], process.compiled)


def search_package_head(government, uri: str) -> dict:
    return package_head(uri=uri, publisher=government.name, published=selectors.last_change(government))


def bulk_package(government) -> bytes:
    """Every process of the government as one record package (compiled releases, releases
    linked to each process's record package): the bulk file published beside the table."""
    head = search_package_head(government, absolute_link(government, government_path("procurement:search_ocds")))
    found = selectors.processes(government).only("pk", "ocid", "compiled").order_by("pk").iterator(chunk_size=500)

    record_url = url_pattern(absolute_link(government, government_path("procurement:process_ocds", ocid=OCID_SLOT)))

    return record_package_text(head, linked_records(government, found, record_url)).encode("utf-8")
