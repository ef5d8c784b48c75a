"""Every OCDS export validates against the OCDS 1.1.5 package schemas: each process's record
package, the search's record package and the bulk file published beside the open-data table,
over data the demonstration generator produces."""

import hashlib
import json

import pytest
from django.utils import timezone, translation

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url

from .. import demo, ocds_out, opendata
from ..models import Process
from ..services import ensure_procedure_types, import_file

PROCESSES = 60


@pytest.fixture
def demo_data(government):
    with government_scope(government):
        ensure_procedure_types(government=government)
        raw = demo.demo_file(government, PROCESSES)
        import_file(actor=None, government=government, filename="demo.json", raw=raw, now=timezone.now())
    return government


def _document(response) -> dict:
    assert response.status_code == 200
    return json.loads(b"".join(response.streaming_content))


def _assert_valid(document, name):
    with translation.override("en"):
        problems = ocds_out.package_problems(document)
    assert problems == [], (name, sorted(set(problems)))


def test_the_package_schemas_resolve_the_shipped_release_schema_offline():
    readme = (ocds_out.SCHEMA_DIR / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(ocds_out.RELEASE_PACKAGE_FILE.read_bytes()).hexdigest() in readme
    for path in (ocds_out.RECORD_PACKAGE_FILE, ocds_out.RELEASE_PACKAGE_FILE):
        schema = json.loads(path.read_text(encoding="utf-8"))
        assert schema["id"].startswith("https://standard.open-contracting.org/schema/1__1__5/")
    # A package missing what the standard requires is reported, path by path.
    problems = ocds_out.package_problems({"version": "1.1", "records": [{"ocid": "x"}]})
    assert any("publishedDate" in problem for problem in problems)
    assert any("records[0].releases" in problem for problem in problems)
    assert ocds_out.package_problems({"uri": "x", "releases": []}) != []


def test_every_export_of_the_demo_validates_against_the_package_schemas(client, demo_data):
    government = demo_data
    with government_scope(government):
        ocids = list(Process.objects.values_list("ocid", flat=True))
    assert len(ocids) == PROCESSES

    search = _document(client.get(gov_url(government, "procurement:search_ocds")))
    _assert_valid(search, "search")
    assert sorted(record["ocid"] for record in search["records"]) == sorted(ocids)
    filtered = _document(client.get(gov_url(government, "procurement:search_ocds"), {"orden": "monto"}))
    _assert_valid(filtered, "search sorted")

    linked = {link["url"] for record in search["records"] for link in record["releases"]}
    for ocid in ocids:
        document = _document(client.get(gov_url(government, "procurement:process_ocds", ocid=ocid)))
        _assert_valid(document, ocid)
        (record,) = document["records"]
        assert record["ocid"] == ocid and record["compiledRelease"]["ocid"] == ocid
        for release in record["releases"]:
            # Every linked release of the search names a release the process's record holds.
            assert any(url.endswith("#" + release["id"]) for url in linked), release["id"]

    with government_scope(government):
        (table,) = opendata.tables(government)
        assert table.files, "the bulk OCDS file is published beside the table"
        for companion in table.files:
            document = json.loads(companion.content())
            _assert_valid(document, companion.filename)
            assert sorted(record["ocid"] for record in document["records"]) == sorted(ocids)


def test_the_bulk_file_is_left_out_above_its_size_limit(demo_data, settings):
    """The bulk file is built whole in memory: a government with more processes than the
    setting allows publishes the table without it (search and records stay)."""
    government = demo_data
    with government_scope(government):
        settings.PROCUREMENT_BULK_OCDS_MAX_PROCESSES = PROCESSES - 1
        (table,) = opendata.tables(government)
        assert table.files == ()
        settings.PROCUREMENT_BULK_OCDS_MAX_PROCESSES = PROCESSES
        (table,) = opendata.tables(government)
        assert [companion.filename for companion in table.files] == [opendata.BULK_FILE]
