import gzip
import io
import json
import zipfile

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope

from ..models import ImportRun, Process, Release
from .conftest import OCID, award_release, do_import, package, release, tender_release


def _process(government, ocid=OCID):
    with government_scope(government):
        return Process.objects.get(ocid=ocid)


def test_release_package_is_compiled_into_a_process(government):
    run = do_import(government, package(tender_release(), award_release()))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.releases_read, run.releases_added, run.processes_created) == (2, 2, 1)
    process = _process(government)
    assert process.title == "Adquisición de papel bond"
    assert process.procedure.code == "subasta-inversa"
    assert process.stage == "award"
    assert str(process.award_amount) == "11000.00"
    assert process.buyer.name == "Gobierno Provincial"
    assert process.compiled["tag"] == ["compiled"]
    assert process.compiled["tender"]["title"] == "Adquisición de papel bond"
    with government_scope(government):
        # The awarded suppliers are scoped like the process (outside a scope they refuse).
        assert process.supplier_links.get().supplier.name == "Papelera del Pacífico"
        assert AuditEntry.objects.filter(action="procurement.import.completed").count() == 1


def test_reimporting_the_same_file_changes_nothing(government):
    raw = package(tender_release(), award_release())
    do_import(government, raw)
    before = _process(government)
    again = do_import(government, raw)
    assert (again.releases_added, again.releases_duplicate, again.processes_updated) == (0, 2, 0)
    after = _process(government)
    assert after.updated_at == before.updated_at
    with government_scope(government):
        assert Release.objects.count() == 2


def test_newer_release_updates_the_compiled_record(government):
    do_import(government, package(tender_release()))
    assert _process(government).stage == "tender"
    run = do_import(government, package(award_release()))
    assert (run.processes_created, run.processes_updated) == (0, 1)
    process = _process(government)
    assert process.stage == "award"
    assert process.title == "Adquisición de papel bond"  # kept from the earlier release


def test_out_of_order_releases_compile_by_date(government):
    later = tender_release(number=3, date="2025-04-01T10:00:00-05:00", tender={"title": "Título corregido"})
    earlier = tender_release(number=1)
    do_import(government, package(later, earlier))
    assert _process(government).title == "Título corregido"


def test_duplicated_release_in_file_is_counted_once(government):
    run = do_import(government, package(tender_release(), tender_release()))
    assert (run.releases_added, run.releases_duplicate) == (1, 1)


def test_same_release_id_with_other_content_is_reported(government):
    do_import(government, package(tender_release()))
    run = do_import(government, package(tender_release(tender={"title": "Otro"})))
    assert run.releases_invalid == 1
    assert "already known" in run.problems[0]["message"]
    assert _process(government).title == "Adquisición de papel bond"


def test_invalid_releases_are_reported_and_valid_ones_imported(government):
    bad_date = release("ocds-5wno2w-X-1", date="ayer")
    no_ocid = {"id": "1", "date": "2025-01-01T00:00:00Z", "tag": ["tender"]}
    bad_amount = tender_release("ocds-5wno2w-X-2", tender={"value": {"amount": "mucho", "currency": "USD"}})
    bad_tag = release("ocds-5wno2w-X-3", tag=("licitado",))
    run = do_import(government, package(bad_date, no_ocid, bad_amount, bad_tag, tender_release()))
    assert run.status == ImportRun.Status.SUCCEEDED
    assert (run.releases_invalid, run.processes_created) == (4, 1)
    messages = " ".join(problem["message"] for problem in run.problems)
    assert "date is not a date and time with its time zone" in messages
    assert "ocid is required and missing." in messages
    assert 'tender.value.amount must be a number, not a text ("mucho").' in messages
    assert 'tag[0] is "licitado", which is not in the closed codelist releaseTag' in messages
    assert run.problems[0]["where"] == "releases[0]"


def test_invalid_json_rejects_the_file_and_keeps_the_data(government):
    do_import(government, package(tender_release()))
    run = do_import(government, b'{"releases": [', name="roto.json")
    assert run.status == ImportRun.Status.FAILED
    assert "not valid JSON" in run.problems[0]["message"]
    assert _process(government).title == "Adquisición de papel bond"
    with government_scope(government):
        assert AuditEntry.objects.filter(action="procurement.import.rejected").count() == 1


def test_json_that_is_not_ocds_is_rejected(government):
    run = do_import(government, json.dumps({"hola": 1}).encode())
    assert run.status == ImportRun.Status.FAILED
    assert "not OCDS" in run.problems[0]["message"]


def test_empty_and_damaged_archives_are_rejected(government):
    assert "empty" in do_import(government, b"  ").problems[0]["message"]
    assert "gzip" in do_import(government, b"\x1f\x8b\x08garbage").problems[0]["message"]
    assert "zip" in do_import(government, b"PK\x03\x04garbage").problems[0]["message"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("leeme.txt", "nada")
    assert "no .json" in do_import(government, buffer.getvalue()).problems[0]["message"]


def test_gzip_and_zip_files(government):
    run = do_import(government, gzip.compress(package(tender_release())), name="a.json.gz")
    assert run.processes_created == 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("2025-03.json", package(award_release()))
        archive.writestr("2025-04.json", package(tender_release("ocds-5wno2w-LICO-1")))
    run = do_import(government, buffer.getvalue(), name="bulk.zip")
    assert (run.processes_created, run.processes_updated) == (1, 1)


def test_record_package_with_embedded_releases_and_compiled_only(government):
    records = {
        "version": "1.1",
        "records": [
            {"ocid": OCID, "releases": [tender_release(), award_release()]},
            {
                "ocid": "ocds-5wno2w-IC-2",
                "releases": [{"url": "x", "date": "2025-01-01", "tag": ["tender"]}],
                "compiledRelease": tender_release(
                    "ocds-5wno2w-IC-2", tender={"procurementMethodDetails": "Ínfima Cuantía"}
                )
                | {"tag": ["compiled"]},
            },
            {"ocid": "ocds-5wno2w-IC-3"},
        ],
    }
    run = do_import(government, json.dumps(records).encode())
    assert run.source_format == "record package"
    assert run.processes_created == 2
    assert run.releases_invalid == 1
    assert "neither embedded releases" in run.problems[0]["message"]
    assert _process(government, "ocds-5wno2w-IC-2").procedure.code == "infima-cuantia"


def test_bare_compiled_release(government):
    compiled = tender_release() | {"tag": ["compiled"]}
    run = do_import(government, json.dumps(compiled).encode())
    assert run.source_format == "compiled release"
    assert run.processes_created == 1


def test_null_removes_a_field_and_arrays_merge_by_id(government):
    first = award_release()
    second = release(
        OCID,
        3,
        "2025-04-01T10:00:00-05:00",
        ("awardUpdate",),
        awards=[{"id": "a2", "status": "active", "value": {"amount": 500, "currency": "USD"}}],
        tender={"id": "t1", "description": None},
    )
    do_import(government, package(tender_release(), first, second))
    process = _process(government)
    assert [award["id"] for award in process.compiled["awards"]] == ["a1", "a2"]
    assert "description" not in process.compiled["tender"]
    assert str(process.award_amount) == "11500.00"


def test_compiling_takes_its_merge_rules_from_the_shipped_schema_without_the_network(government, monkeypatch):
    import socket

    from .. import ocds

    def refuse(*args, **kwargs):
        raise AssertionError("compiling must not reach the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    ocds._merge_rules.cache_clear()
    first = tender_release(
        tender={
            "tenderers": [{"id": "EC-RUC-1", "name": "Primera"}],
            "items": [
                {
                    "id": "1",
                    "description": "Papel bond",
                    "classification": {"scheme": "CPC", "id": "3215100011"},
                    "additionalClassifications": [{"scheme": "CPC", "id": "1"}, {"scheme": "CPC", "id": "2"}],
                }
            ],
        },
        parties=[{"id": "EC-RUC-1360000000001", "name": "Gobierno Provincial", "roles": ["buyer", "payer"]}],
    )
    second = release(
        OCID,
        2,
        "2025-03-05T10:00:00-05:00",
        ("tenderUpdate",),
        tender={
            "id": "t1",
            "tenderers": [{"id": "EC-RUC-2", "name": "Segunda"}],
            "items": [{"id": "1", "additionalClassifications": [{"scheme": "CPC", "id": "3"}]}],
        },
        parties=[{"id": "EC-RUC-1360000000001", "roles": ["buyer"]}],
    )
    do_import(government, package(second, first))
    compiled = _process(government).compiled
    # OCDS 1.1.5: organisation references are merged by id; the schema's wholeListMerge arrays
    # and arrays of strings are replaced whole.
    assert [t["id"] for t in compiled["tender"]["tenderers"]] == ["EC-RUC-1", "EC-RUC-2"]
    assert compiled["tender"]["items"][0]["additionalClassifications"] == [{"scheme": "CPC", "id": "3"}]
    assert compiled["tender"]["items"][0]["description"] == "Papel bond"
    assert compiled["parties"] == [{"id": "EC-RUC-1360000000001", "name": "Gobierno Provincial", "roles": ["buyer"]}]
    assert compiled["tag"] == ["compiled"] and compiled["id"] == f"{OCID}-2025-03-05T10:00:00-05:00"


def test_releases_are_applied_in_the_order_of_their_instants():
    from .. import ocds

    # As text, "…T09:00:00-05:00" sorts before "…T10:00:00Z", yet it is four hours later.
    late = release(number=1, date="2025-03-01T09:00:00-05:00", tender={"id": "t1", "title": "Después"})
    early = release(number=2, date="2025-03-01T10:00:00Z", tender={"id": "t1", "title": "Antes"})
    compiled = ocds.compile_releases([late, early])
    assert compiled["tender"]["title"] == "Después" and compiled["date"] == "2025-03-01T09:00:00-05:00"


def test_an_update_replaces_the_indexed_text_and_the_links(government):
    from .. import selectors

    do_import(government, package(tender_release(), award_release()))
    later = tender_release(number=3, date="2025-05-01T10:00:00-05:00", tender={"title": "Adquisición de tóner"})
    do_import(government, package(later, award_release(number=4, date="2025-05-02T10:00:00-05:00", amount=9000)))
    with government_scope(government):

        def found(words):
            return [
                process.ocid
                for process in selectors.search(government, selectors.ProcessQuery.from_params({"q": words}))[0][:]
            ]

        assert found("toner") == [OCID]
        assert found("papel bond adquisicion") == [OCID]  # still in the description
        process = Process.objects.get()
        assert process.supplier_links.count() == 1
        assert str(process.supplier_links.get().amount) == "9000.00"
        assert process.release_count == 4


def test_words_a_process_loses_are_no_longer_found_and_others_keep_them(government):
    from .. import selectors

    first = {
        "title": "Mantenimiento de la vía",
        "description": "Lastrado de la vía",
        "items": [{"id": "1", "description": "Lastre", "classification": {"scheme": "CPC", "id": "3215100011"}}],
    }
    other = "ocds-5wno2w-SIE-GPM-2025-009-1360"
    do_import(government, package(tender_release(tender=first), tender_release(other, tender=first)))
    changed = {
        "title": "Construcción de puente",
        "description": "Puente de hormigón",
        "items": [{"id": "1", "description": "Hormigón", "classification": {"scheme": "CPC", "id": "3215100011"}}],
    }
    do_import(government, package(tender_release(number=2, date="2025-04-01T10:00:00-05:00", tender=changed)))
    with government_scope(government):

        def found(words):
            query = selectors.ProcessQuery.from_params({"q": words})
            return sorted(process.ocid for process in selectors.search(government, query)[0][:])

        assert found("mantenimiento") == [other]
        assert found("lastre via") == [other]
        assert found("puente hormigon") == [OCID]
        assert found("puente lastre") == []
