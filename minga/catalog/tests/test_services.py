"""Branches of the catalog services: versions, freshness, audit codes, file checks, licences,
themes, the search index."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation

from minga.core.audit.models import AuditEntry
from minga.core.search.models import SearchDocument
from minga.core.tenancy.scoping import government_scope

from ..datasets import services
from ..datasets.models import Dataset, DatasetVersion, Licence, Resource
from ..quality import freshness
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English (Spanish is the default language)."""
    with translation.override("en"):
        yield


def actions(government):
    return list(AuditEntry.objects.filter(government=government).order_by("sequence").values_list("action", flat=True))


@pytest.mark.parametrize(
    ("frequency", "due"),
    [
        ("DAILY", dt.date(2026, 1, 31)),
        ("WEEKLY", dt.date(2026, 2, 6)),
        ("MONTHLY", dt.date(2026, 2, 28)),
        ("QUARTERLY", dt.date(2026, 4, 30)),
        ("ANNUAL_2", dt.date(2026, 7, 30)),
        ("ANNUAL", dt.date(2027, 1, 30)),
        ("IRREG", None),
        ("NEVER", None),
    ],
)
def test_next_update_due(frequency, due):
    assert freshness.next_update_due(frequency, dt.date(2026, 1, 30)) == due


def test_create_update_publish_delete_are_audited_and_versioned(government):
    dataset = factories.dataset(
        government, title="Obras públicas", slug="", is_published=False, tags=["Obras", "obras"]
    )
    assert dataset.slug == "obras-publicas" and dataset.version == 1
    with government_scope(government):
        assert list(dataset.tags.values_list("slug", flat=True)) == ["obras"]
        services.dataset_update(actor=None, government=government, dataset=dataset, summary="Otra cosa.")
        services.dataset_update(actor=None, government=government, dataset=dataset, summary="Otra cosa.")  # no change
        services.dataset_set_published(actor=None, government=government, dataset=dataset, is_published=True)
        services.dataset_set_published(actor=None, government=government, dataset=dataset, is_published=False)
        versions = list(
            DatasetVersion.objects.filter(dataset=dataset).order_by("number").values_list("number", "change")
        )
        assert versions == [(1, "created"), (2, "updated"), (3, "published"), (4, "unpublished")]
        assert "summary" in DatasetVersion.objects.get(dataset=dataset, number=2).changed_fields
        services.dataset_delete(actor=None, government=government, dataset=dataset)
        assert not Dataset.objects.exists()
    assert actions(government)[-5:] == [
        "catalog.dataset.created",
        "catalog.dataset.updated",
        "catalog.dataset.published",
        "catalog.dataset.unpublished",
        "catalog.dataset.deleted",
    ]


def test_generated_slugs_are_free_within_the_government(government, other_government):
    factories.dataset(other_government, title="Obras públicas", slug="")  # another government's does not count
    first = factories.dataset(government, title="Obras públicas", slug="")
    second = factories.dataset(government, title="Obras públicas", slug="")
    nothing_to_keep = factories.dataset(government, title="¡¿?!", slug="")
    long_ones = [factories.dataset(government, title="Presupuesto " * 10, slug="") for _ in range(2)]
    assert [first.slug, second.slug, nothing_to_keep.slug] == ["obras-publicas", "obras-publicas-2", "dato"]
    assert long_ones[0].slug == ("presupuesto-" * 8)[:90].strip("-")
    assert long_ones[1].slug.endswith("-2") and len(long_ones[1].slug) <= 90
    with government_scope(government):
        # A dataset asked to name itself again may keep its own slug.
        services.dataset_update(actor=None, government=government, dataset=first, slug="")
        first.refresh_from_db()
    assert first.slug == "obras-publicas"
    themes = [factories.theme(government, name=name, slug="") for name in ("Movilidad", "¡Movilidad!")]
    assert [theme.slug for theme in themes] == ["movilidad", "movilidad-2"]
    with government_scope(government):
        renamed = services.theme_update(actor=None, government=government, theme=themes[0], name="Vialidad", slug="")
    assert renamed.slug == "vialidad"


def test_dataset_audit_records_links_not_counters(government):
    theme = factories.theme(government, slug="ambiente")
    dataset = factories.dataset(government, themes=[theme], tags=["Residuos"])
    created = AuditEntry.objects.get(government=government, action="catalog.dataset.created")
    assert created.changes["themes"] == [None, ["ambiente"]] and created.changes["tags"] == [None, ["residuos"]]
    assert not {"version", "next_update_due", "created_at", "updated_at"} & set(created.changes)
    with government_scope(government):
        services.dataset_update(actor=None, government=government, dataset=dataset, themes=[], summary="Otro.")
        version = DatasetVersion.objects.get(dataset=dataset, number=2)
    updated = AuditEntry.objects.get(government=government, action="catalog.dataset.updated")
    assert set(updated.changes) == {"summary", "themes"} and updated.changes["themes"] == [["ambiente"], []]
    assert version.changed_fields == ["summary", "themes"]


def test_frequency_change_moves_next_update_due(government):
    now = timezone.make_aware(dt.datetime(2026, 3, 10, 12))
    dataset = factories.dataset(government, frequency="ANNUAL", now=now)
    assert dataset.next_update_due == dt.date(2027, 3, 10)
    with government_scope(government):
        dataset = services.dataset_update(
            actor=None, government=government, dataset=dataset, frequency="MONTHLY", now=now
        )
    assert dataset.next_update_due == dt.date(2026, 4, 10)
    assert freshness.is_overdue(dataset, today=dt.date(2026, 4, 11))
    assert not freshness.is_overdue(dataset, today=dt.date(2026, 4, 10))


def test_validation_errors(government, other_government):
    factories.dataset(government, slug="uno")
    foreign_theme = factories.theme(other_government)
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.dataset_create(actor=None, government=government, title="X", summary="Y", publisher="Z", slug="uno")
    assert "slug" in error.value.message_dict
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.dataset_create(
            actor=None, government=government, title="X", summary="Y", publisher="Z", themes=[foreign_theme]
        )
    assert "themes" in error.value.message_dict
    with government_scope(government), pytest.raises(ValidationError) as error:
        services.dataset_create(
            actor=None,
            government=government,
            title="X",
            summary="Y",
            publisher="Z",
            temporal_start=dt.date(2026, 1, 1),
            temporal_end=dt.date(2025, 1, 1),
            spatial_coverage=["1"],
        )
    assert {"temporal_end", "spatial_coverage"} <= set(error.value.message_dict)
    with pytest.raises(ValueError):
        services.dataset_create(actor=None, government=government, title="X", summary="Y", publisher="Z", version=3)


def test_resource_add_replace_remove(government, django_capture_on_commit_callbacks):
    dataset = factories.dataset(government)
    resource = factories.resource(government, dataset, title="Datos")
    assert resource.format == "CSV" and resource.size == len(factories.CSV_BYTES) and len(resource.sha256) == 64
    assert resource.original_name == "datos.csv" and resource.file.name.startswith("catalog/resources/")
    assert "datos" not in resource.file.name.rsplit("/", 1)[1]  # random stored name
    old_name = resource.file.name
    with government_scope(government), django_capture_on_commit_callbacks(execute=True):
        replaced = services.resource_update(
            actor=None,
            government=government,
            resource=resource,
            file=SimpleUploadedFile("nuevo.json", b'{"type": "FeatureCollection", "features": []}'),
        )
    with government_scope(government):
        assert replaced.format == "GeoJSON"
        storage = Resource._meta.get_field("file").storage
        assert not storage.exists(old_name)
        services.resource_update(actor=None, government=government, resource=replaced, description="Mejor dicho")
        services.resource_remove(actor=None, government=government, resource=replaced)
        assert not Resource.objects.exists()
        assert Dataset.objects.get(pk=dataset.pk).version == 5
    assert actions(government)[-4:] == [
        "catalog.resource.added",
        "catalog.resource.replaced",
        "catalog.resource.updated",
        "catalog.resource.removed",
    ]


def _xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("datos.csv", "año;monto\n2025;1.234,56\n".encode("latin-1"), "CSV"),
        ("datos.txt", b"a,b\n1,2\n", "CSV"),
        ("libro.xlsx", _xlsx_bytes(), "XLSX"),
        ("paquete.zip", b"PK\x03\x04" + b"\x00" * 30, "OTHER"),
        ("informe.pdf", b"%PDF-1.7\n...", "PDF"),
        ("datos.json", b'[{"a": 1}]', "JSON"),
        ("mapa.geojson", b'{"type": "FeatureCollection", "features": []}', "GeoJSON"),
        ("cosa.bin", b"\x00\x01\x02", "OTHER"),
    ],
)
def test_formats_are_sniffed(government, name, content, expected):
    dataset = factories.dataset(government)
    if expected == "OTHER" and name.endswith(".zip"):
        with pytest.raises(ValidationError):
            factories.resource(government, dataset, file=SimpleUploadedFile(name, content))
        return
    resource = factories.resource(government, dataset, file=SimpleUploadedFile(name, content))
    assert resource.format == expected


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("datos.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00", "is not CSV"),
        ("libro.xlsx", b"<html><body>Error</body></html>", "is not XLSX"),
        ("informe.pdf", b"hola", "is not PDF"),
        ("vacio.csv", b"", "empty"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(government, name, content, message):
    dataset = factories.dataset(government)
    with pytest.raises(ValidationError) as error:
        factories.resource(government, dataset, file=SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.message_dict["file"])
    with government_scope(government):
        assert not Resource.objects.exists()


@override_settings(DATASET_UPLOAD_MAX_BYTES=10)
def test_files_over_the_limit_are_refused(government):
    dataset = factories.dataset(government)
    with pytest.raises(ValidationError) as error:
        factories.resource(government, dataset, file=factories.csv_file())
    assert "limit" in " ".join(error.value.message_dict["file"])


def test_url_resources_need_a_web_address(government):
    dataset = factories.dataset(government)
    with pytest.raises(ValidationError) as error:
        factories.resource(government, dataset, kind="url", url="ftp://x.org/a.csv")
    assert "url" in error.value.message_dict
    resource = factories.resource(government, dataset, kind="url", url="https://x.org/a.csv?x=1")
    assert resource.format == "CSV" and not resource.file


def test_default_licences_and_one_default(government):
    with government_scope(government):
        licences = services.licences_ensure_defaults(actor=None, government=government)
        assert sorted(licence.code for licence in licences) == ["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"]
        assert services.licences_ensure_defaults(actor=None, government=government)  # idempotent
        assert Licence.objects.count() == 3
        cc0 = Licence.objects.get(code="CC0-1.0")
        services.licence_update(actor=None, government=government, licence=cc0, is_default=True)
        assert list(Licence.objects.filter(is_default=True).values_list("code", flat=True)) == ["CC0-1.0"]
    dataset = factories.dataset(government)
    assert dataset.licence.code == "CC0-1.0"
    with government_scope(government):
        assert services.licence_delete_refusal(licence=dataset.licence)
        with pytest.raises(ValidationError):
            services.licence_delete(actor=None, government=government, licence=dataset.licence)


def test_search_index_follows_publication(government):
    dataset = factories.dataset(government, title="Calidad del agua por parroquia", is_published=False)
    documents = SearchDocument.objects.with_scope(government=government)
    assert not documents.filter(kind="catalog.dataset").exists()
    with government_scope(government):
        services.dataset_set_published(actor=None, government=government, dataset=dataset, is_published=True)
    assert documents.get(kind="catalog.dataset").title == "Calidad del agua por parroquia"
    with government_scope(government):
        services.dataset_delete(actor=None, government=government, dataset=dataset)
    assert not documents.filter(kind="catalog.dataset").exists()


def test_theme_delete_reindexes_its_datasets(government):
    theme = factories.theme(government, name="Ambiente")
    factories.dataset(government, themes=[theme])
    documents = SearchDocument.objects.with_scope(government=government)
    assert "Ambiente" in documents.get(kind="catalog.dataset").body
    with government_scope(government):
        services.theme_delete(actor=None, government=government, theme=theme)
    assert "Ambiente" not in documents.get(kind="catalog.dataset").body


def test_default_licence_from_settings_when_none_is_marked(government):
    with government_scope(government):
        services.licences_ensure_defaults(actor=None, government=government)
        Licence.objects.update(is_default=False)
    government.modules = {"catalog": {"settings": {"default_licence": "CC-BY-SA-4.0"}}}
    government.save()
    assert factories.dataset(government).licence.code == "CC-BY-SA-4.0"
