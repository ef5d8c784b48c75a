"""The quality score: each check passing and failing, the weighted score, recomputation after
a change (without a new version or a new `updated_at`), the words shown to citizens, the
ranking of units and its panel, and the demo."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import formats, timezone, translation

from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from .. import demo, tasks
from ..datasets import services
from ..datasets.models import Dataset, Resource
from ..quality import scores as quality
from ..tables import services as table_services
from . import factories
from .conftest_datastore import datastore_env  # noqa: F401

pytestmark = pytest.mark.django_db

COMPLETE = {
    "description": "Metodología: registros administrativos.",
    "publisher_email": "finanzas@gad.example",
    "temporal_start": dt.date(2025, 1, 1),
    "temporal_end": dt.date(2025, 12, 31),
    "spatial_coverage": ["13"],
    "tags": ["presupuesto"],
    "frequency": "ANNUAL",
}


def _complete(government, **fields):
    theme = factories.theme(government)
    return factories.dataset(government, themes=[theme], **{**COMPLETE, **fields})


def _scored(government, dataset):
    with government_scope(government):
        quality.refresh_dataset(government=government, dataset_id=dataset.pk)
    dataset.refresh_from_db()
    return dataset


def _checks(dataset) -> dict:
    return {check["key"]: check for check in dataset.quality_checks}


def _loaded(government, dataset, content=factories.CSV_BYTES, name="datos.csv"):
    resource = factories.resource(government, dataset, file=factories.csv_file(name, content))
    with government_scope(government):
        load = table_services.resource_load_run(government=government, resource=resource)
    return resource, load


def _describe_all(government, resource, load):
    columns = [column["name"] for column in load.report["columns"]]
    with government_scope(government):
        services.column_dictionary_update(
            actor=None,
            government=government,
            resource=resource,
            entries={column: {"label": column.title(), "description": f"Valor de {column}"} for column in columns},
        )
    return columns


# Each check ------------------------------------------------------------------------------


def test_metadata_complete_and_incomplete(government):
    complete = _scored(government, _complete(government))
    assert _checks(complete)["metadata"]["passed"] is True
    bare = _scored(government, factories.dataset(government, frequency="UNKNOWN"))
    check = _checks(bare)["metadata"]
    assert check["passed"] is False
    assert set(check["params"]["missing"]) == {
        "description",
        "contact",
        "themes",
        "tags",
        "temporal",
        "spatial",
        "frequency",
    }
    assert check["credit"] == 0


def test_open_licence(government):
    closed = factories.licence(government, code="PROPIA", name="Uso restringido", is_open=False)
    assert (
        _checks(_scored(government, factories.dataset(government, licence=closed)))["open_licence"]["passed"] is False
    )
    assert _checks(_scored(government, factories.dataset(government)))["open_licence"]["passed"] is True


def test_open_format(government):
    dataset = factories.dataset(government)
    check = _checks(_scored(government, dataset))["open_format"]
    assert check["passed"] is False and check["params"]["total"] == 0
    factories.resource(government, dataset, kind="url", url="https://datos.example/informe.pdf")
    check = _checks(_scored(government, dataset))["open_format"]
    assert check["passed"] is False and check["params"]["other"] == ["PDF"]
    factories.resource(government, dataset)  # a CSV upload
    check = _checks(_scored(government, dataset))["open_format"]
    assert check["passed"] is True and check["params"]["formats"] == ["CSV"]


def test_dictionary_and_validity_and_the_score_rises_when_columns_are_described(government, datastore_env):  # noqa: F811
    dataset = _complete(government)
    before = _scored(government, dataset)
    assert _checks(before)["dictionary"]["passed"] is None  # no table yet: does not apply
    resource, load = _loaded(government, dataset)
    undescribed = _scored(government, dataset)
    score_before = undescribed.quality_score
    checks = _checks(undescribed)
    assert checks["dictionary"]["passed"] is False
    assert checks["valid"]["passed"] is False and checks["valid"]["params"]["undescribed"] == 3
    _describe_all(government, resource, load)
    described = _scored(government, dataset)
    checks = _checks(described)
    assert checks["dictionary"]["passed"] is True and checks["valid"]["passed"] is True
    assert described.quality_score > score_before


def test_values_that_do_not_match_the_column_type_fail_validity(government, datastore_env):  # noqa: F811
    rows = "".join(f"{n};{n}\n" for n in range(1, 40))
    content = f"a;b\n{rows}40;0164A\n".encode()
    dataset = _complete(government)
    resource, load = _loaded(government, dataset, content)
    _describe_all(government, resource, load)
    check = _checks(_scored(government, dataset))["valid"]
    assert check["passed"] is False and check["params"]["text_columns"] == 1
    assert check["params"]["undescribed"] == 0


def test_a_failed_load_fails_validity(government, datastore_env):  # noqa: F811
    dataset = _complete(government)
    resource, _ = _loaded(government, dataset)
    with government_scope(government):
        resource.file.storage.delete(resource.file.name)  # the stored file is gone
        table_services.resource_load_run(government=government, resource=resource)
    check = _checks(_scored(government, dataset))["valid"]
    assert check["passed"] is False and check["params"]["failed"] == 1


def test_reachability_not_checked_is_not_a_failure(government, english):
    dataset = factories.dataset(government)
    link = factories.resource(government, dataset, kind="url", url="https://datos.example/datos.csv")
    assert _checks(_scored(government, dataset))["reachable"]["passed"] is None
    checked_on = dt.datetime(2026, 11, 3, 15, 0, tzinfo=dt.UTC)
    Resource._base_manager.filter(pk=link.pk).update(reachable=False, reachability_checked_at=checked_on)
    scored = _scored(government, dataset)
    check = _checks(scored)["reachable"]
    assert check["passed"] is False and check["params"] == {
        "unreachable": 1,
        "checked": 1,
        "on": "2026-11-03",
    }
    with translation.override("en"):
        texts = [reason.text for reason in quality.reasons(scored)]
        day = formats.date_format(dt.date(2026, 11, 3), "DATE_FORMAT")
    assert f"1 link could not be reached on {day}" in texts
    Resource._base_manager.filter(pk=link.pk).update(reachable=True)
    assert _checks(_scored(government, dataset))["reachable"]["passed"] is True


def test_on_time(government):
    late = factories.dataset(government, frequency="MONTHLY", now=timezone.now() - dt.timedelta(days=45))
    check = _checks(_scored(government, late))["on_time"]
    assert check["passed"] is False and check["params"]["days"] >= 14
    fresh = factories.dataset(government, frequency="MONTHLY")
    assert _checks(_scored(government, fresh))["on_time"]["passed"] is True
    irregular = factories.dataset(government, frequency="IRREG")
    assert _checks(_scored(government, irregular))["on_time"]["passed"] is None


# The score -------------------------------------------------------------------------------


def test_score_is_weighted_over_the_checks_that_apply():
    checks = [
        {"key": "a", "passed": True, "weight": 20, "credit": 1.0},
        {"key": "b", "passed": False, "weight": 10, "credit": 0.0},
        {"key": "c", "passed": None, "weight": 50, "credit": 0.0},
        {"key": "d", "passed": False, "weight": 10, "credit": 0.5},
    ]
    assert quality.score(checks) == round(100 * (20 + 5) / 40)
    assert quality.score([{"key": "c", "passed": None, "weight": 5}]) is None


def test_saving_the_score_changes_neither_version_nor_updated_at(government):
    dataset = factories.dataset(government)
    before = Dataset._base_manager.get(pk=dataset.pk)
    after = _scored(government, dataset)
    assert after.quality_score is not None and after.quality_checked_at is not None
    assert (after.version, after.updated_at) == (before.version, before.updated_at)


def test_services_recompute_the_score_after_the_commit(government, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dataset = factories.dataset(government)
    dataset.refresh_from_db()
    first = dataset.quality_score
    assert first is not None
    theme = factories.theme(government)
    with django_capture_on_commit_callbacks(execute=True), government_scope(government):
        services.dataset_update(
            actor=None, government=government, dataset=dataset, themes=[theme], description="Fuente: GAD."
        )
    dataset.refresh_from_db()
    assert dataset.quality_score > first
    assert "themes" not in _checks(dataset)["metadata"]["params"]["missing"]


def test_daily_job_scores_every_government(government, other_government):
    mine = factories.dataset(government)
    theirs = factories.dataset(other_government)
    assert tasks.compute_quality.enqueue().return_value >= 2
    assert Dataset._base_manager.get(pk=mine.pk).quality_score is not None
    assert Dataset._base_manager.get(pk=theirs.pk).quality_score is not None


# Pages -----------------------------------------------------------------------------------


def test_dataset_page_shows_the_score_in_plain_words(client, english, government, datastore_env):  # noqa: F811
    dataset = _complete(government, title="Presupuesto 2025")
    resource, load = _loaded(government, dataset)
    _describe_all(government, resource, load)
    scored = _scored(government, dataset)
    body = client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug)).content.decode()
    assert 'id="quality"' in body and f"{scored.quality_score}<" in body
    assert "Has a data dictionary explaining its columns" in body
    assert "Its description is complete" in body
    listing = client.get(gov_url(government, "catalog:dataset_list")).content.decode()
    assert f"Quality {scored.quality_score}/100" in listing


def _set_scores(government, publisher, scores, late=0):
    for number, value in enumerate(scores):
        now = timezone.now() - dt.timedelta(days=45) if number < late else timezone.now()
        dataset = factories.dataset(government, publisher=publisher, frequency="MONTHLY", now=now)
        Dataset._base_manager.filter(pk=dataset.pk).update(quality_score=value)


def test_ranking_orders_units_by_average_score(government, other_government):
    _set_scores(government, "Dirección Financiera", [90, 80])
    _set_scores(government, "Dirección de Movilidad", [50, 60, 40], late=2)
    _set_scores(government, "Dirección de Obras", [None])
    _set_scores(other_government, "Dirección Ajena", [100])
    with government_scope(government):
        units = quality.ranking(government)
    assert [unit.publisher for unit in units] == [
        "Dirección Financiera",
        "Dirección de Movilidad",
        "Dirección de Obras",
    ]
    assert [(unit.rank, unit.rounded, unit.datasets, unit.late) for unit in units] == [
        (1, 85, 2, 0),
        (2, 50, 3, 2),
        (3, None, 1, 0),
    ]


def test_quality_panel_ranks_units_and_drills_down_to_what_to_fix(
    client, english, government, other_government, viewer
):
    good = _complete(government, title="Presupuesto completo", publisher="Dirección Financiera")
    weak = factories.dataset(government, title="Datos flojos", publisher="Dirección de Movilidad")
    foreign = factories.dataset(other_government, title="Dato ajeno", publisher="Dirección de Movilidad")
    for dataset, owner in ((good, government), (weak, government), (foreign, other_government)):
        _scored(owner, dataset)
    login_verified(client, viewer)
    url = gov_url(government, "catalog:office_quality")
    body = client.get(url).content.decode()
    assert body.index("Dirección Financiera") < body.index("Dirección de Movilidad")
    assert "Dato ajeno" not in body
    unit = client.get(url, {"unidad": "Dirección de Movilidad"}).content.decode()
    assert "Datos flojos" in unit and "Dato ajeno" not in unit and "Presupuesto completo" not in unit
    assert "Its description lacks" in unit and "Add the data as a CSV file." in unit


def test_office_dataset_page_shows_what_to_fix(client, english, government, viewer):
    dataset = _scored(government, factories.dataset(government))
    login_verified(client, viewer)
    body = client.get(gov_url(government, "catalog:office_dataset", pk=dataset.pk)).content.decode()
    assert "Data quality" in body and "Edit the dataset and add" in body


def test_demo_has_scores_and_late_datasets(client, english, government):
    with government_scope(government):
        demo.seed(government, now=timezone.now(), stdout=io.StringIO())
        published = Dataset.objects.filter(government=government, is_published=True)
        assert published.filter(quality_score__isnull=True).count() == 0
        late = published.filter(next_update_due__lt=timezone.localdate())
        assert late.count() >= 3
        slug = late.first().slug
        units = quality.ranking(government)
        assert units[0].publisher in demo.DESCRIBED_UNITS and units[0].rounded > units[-1].rounded
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=slug)).content.decode()
    assert "Out of date" in page and 'id="quality"' in page


def test_upload_content_that_is_not_tabular_scores_without_tables(government):
    dataset = factories.dataset(government)
    pdf = SimpleUploadedFile("informe.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
    factories.resource(government, dataset, file=pdf)
    checks = _checks(_scored(government, dataset))
    assert checks["open_format"]["passed"] is False
    assert checks["dictionary"]["passed"] is None and checks["valid"]["passed"] is None
