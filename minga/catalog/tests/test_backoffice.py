"""The back office through HTTP: editors create, edit, publish, delete datasets, add and
replace resources, manage themes and licences; every write is audited; forms keep what was
typed and explain errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.audit.models import AuditEntry
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import gov_url, login_verified

from ..datasets.models import Dataset, Licence, Resource, Theme
from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(client, editor):
    login_verified(client, editor)
    return client


def _dataset_form(**changes):
    data = {
        "title": "Recolección de residuos sólidos",
        "slug": "",
        "summary": "Toneladas recogidas por ruta y mes.",
        "description": "",
        "publisher": "Dirección de Gestión Ambiental",
        "publisher_email": "ambiente@example.org",
        "frequency": "MONTHLY",
        "temporal_start": "01/01/2025",
        "temporal_end": "2025-12-31",
        "tag_names": "residuos, basura; reciclaje",
        "spatial_codes": "13, 1301",
        "contact_name": "",
        "contact_email": "",
        "lotaip_obligation": "",
        "is_published": "on",
    }
    data.update(changes)
    return data


def test_dataset_crud_is_audited(office, government, editor):
    theme = factories.theme(government, name="Ambiente")
    response = office.get(gov_url(government, "catalog:office_dataset_create"))
    assert response.status_code == 200
    with government_scope(government):
        default = Licence.objects.get(is_default=True)
    data = _dataset_form(themes=[theme.pk], licence=default.pk)
    response = office.post(gov_url(government, "catalog:office_dataset_create"), data)
    assert response.status_code == 302, response.context["form"].errors
    with government_scope(government):
        dataset = Dataset.objects.get()
        assert dataset.slug == "recoleccion-de-residuos-solidos"
        assert dataset.spatial_coverage == ["13", "1301"]
        assert sorted(dataset.tags.values_list("slug", flat=True)) == ["basura", "reciclaje", "residuos"]
        assert list(dataset.themes.all()) == [theme]
    assert office.get(gov_url(government, "catalog:office_dataset", pk=dataset.pk)).status_code == 200
    data["title"] = "Recolección de residuos"
    response = office.post(gov_url(government, "catalog:office_dataset_edit", pk=dataset.pk), data)
    assert response.status_code == 302
    response = office.post(gov_url(government, "catalog:office_dataset_publish", pk=dataset.pk), {"publicar": "0"})
    assert response.status_code == 302
    response = office.post(gov_url(government, "catalog:office_dataset_delete", pk=dataset.pk), {"confirm": "on"})
    assert response.status_code == 302
    entries = AuditEntry.objects.filter(government=government, action__startswith="catalog.dataset")
    assert list(entries.order_by("sequence").values_list("action", flat=True)) == [
        "catalog.dataset.created",
        "catalog.dataset.updated",
        "catalog.dataset.unpublished",
        "catalog.dataset.deleted",
    ]
    assert set(entries.values_list("actor", flat=True)) == {editor.pk}
    assert entries.get(action="catalog.dataset.updated").changes["title"] == [
        "Recolección de residuos sólidos",
        "Recolección de residuos",
    ]


def test_dataset_form_keeps_input_and_explains_errors(office, government, english):
    factories.dataset(government, slug="ocupado")
    with government_scope(government):
        licence = Licence.objects.get(is_default=True)
    data = _dataset_form(
        slug="ocupado",
        licence=licence.pk,
        temporal_start="2026-01-01",
        temporal_end="2025-01-01",
        spatial_codes="13, 7",
    )
    response = office.post(gov_url(government, "catalog:office_dataset_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"spatial_codes"} <= set(errors)
    body = response.content.decode()
    assert 'value="Recolección de residuos sólidos"' in body
    assert "These are not DPA codes" in body
    data["spatial_codes"] = "13"
    response = office.post(gov_url(government, "catalog:office_dataset_create"), data)
    errors = response.context["form"].errors
    assert "slug" in errors and "temporal_end" in errors
    assert "The coverage cannot end before it starts." in response.content.decode()


def test_resource_upload_replace_and_remove(office, government):
    dataset = factories.dataset(government)
    url = gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk)
    response = office.post(
        url,
        {
            "title": "Rutas",
            "description": "",
            "kind": "upload",
            "url": "",
            "order": 0,
            "upload": SimpleUploadedFile("rutas.csv", "ruta;toneladas\nNorte;12,5\n".encode("latin-1")),
        },
    )
    assert response.status_code == 302
    with government_scope(government):
        resource = Resource.objects.get()
    assert resource.format == "CSV"
    # A binary file named .csv: refused, with the message on the file field, title kept.
    response = office.post(
        gov_url(government, "catalog:office_resource_edit", pk=resource.pk),
        {"title": "Rutas 2", "kind": "upload", "order": 0, "upload": SimpleUploadedFile("x.csv", b"\x00\x01\x02\x03")},
    )
    assert response.status_code == 200 and "upload" in response.context["form"].errors
    assert 'value="Rutas 2"' in response.content.decode()
    # Switch to a link.
    response = office.post(
        gov_url(government, "catalog:office_resource_edit", pk=resource.pk),
        {"title": "Rutas", "kind": "url", "url": "https://datos.example.org/rutas.csv", "order": 0},
    )
    assert response.status_code == 302
    response = office.post(gov_url(government, "catalog:office_resource_delete", pk=resource.pk), {"confirm": "on"})
    assert response.status_code == 302
    actions = AuditEntry.objects.filter(action__startswith="catalog.resource").order_by("sequence")
    assert list(actions.values_list("action", flat=True)) == [
        "catalog.resource.added",
        "catalog.resource.replaced",
        "catalog.resource.removed",
    ]


def test_missing_file_is_explained(office, government):
    dataset = factories.dataset(government)
    response = office.post(
        gov_url(government, "catalog:office_resource_create", dataset_pk=dataset.pk),
        {"title": "Sin archivo", "kind": "upload", "order": 0},
    )
    assert response.status_code == 200 and "upload" in response.context["form"].errors


def test_themes_and_licences(office, government):
    response = office.post(
        gov_url(government, "catalog:office_theme_create"),
        {"name": "Movilidad", "slug": "", "dcat_theme": "TRAN", "description": "", "order": 1},
    )
    assert response.status_code == 302
    with government_scope(government):
        theme = Theme.objects.get()
    assert theme.slug == "movilidad" and theme.dcat_uri.endswith("/data-theme/TRAN")
    response = office.post(
        gov_url(government, "catalog:office_licence_create"),
        {
            "code": "ODbL-1.0",
            "name": "Open Database License",
            "url": "https://opendatacommons.org/licenses/odbl/",
            "is_open": "on",
            "is_default": "on",
        },
    )
    assert response.status_code == 302
    with government_scope(government):
        assert list(Licence.objects.filter(is_default=True).values_list("code", flat=True)) == ["ODbL-1.0"]
    page = office.get(gov_url(government, "catalog:office_vocabularies")).content.decode()
    assert "Movilidad" in page and "Open Database License" in page
    dataset = factories.dataset(government)
    response = office.post(
        gov_url(government, "catalog:office_licence_delete", pk=dataset.licence_id), {"confirm": "on"}
    )
    assert response.status_code == 409
    response = office.post(gov_url(government, "catalog:office_theme_delete", pk=theme.pk), {"confirm": "on"})
    assert response.status_code == 302
    assert set(AuditEntry.objects.filter(action__startswith="catalog.theme").values_list("action", flat=True)) == {
        "catalog.theme.created",
        "catalog.theme.deleted",
    }


def test_viewer_sees_but_cannot_write(client, government, viewer):
    dataset = factories.dataset(government, title="Visible al lector")
    login_verified(client, viewer)
    page = client.get(gov_url(government, "catalog:office_datasets")).content.decode()
    assert "Visible al lector" in page and 'id="dataset-create"' not in page
    assert (
        client.post(gov_url(government, "catalog:office_dataset_publish", pk=dataset.pk), {"publicar": "0"}).status_code
        == 403
    )


def test_delete_pages_name_the_object_and_the_way_back(office, government, english):
    theme = factories.theme(government, name="Movilidad")
    dataset = factories.dataset(government, title="Siniestros de tránsito", themes=[theme])
    resource = factories.resource(government, dataset, title="Siniestros 2025")
    unused = factories.licence(government, code="ODbL-1.0", name="Open Database License")
    datasets = gov_url(government, "catalog:office_datasets")
    vocabularies = gov_url(government, "catalog:office_vocabularies")
    for name, obj, label, back in (
        ("catalog:office_dataset_delete", dataset, "Siniestros de tránsito", datasets),
        ("catalog:office_resource_delete", resource, "Siniestros 2025", datasets),
        ("catalog:office_theme_delete", theme, "Movilidad", vocabularies),
        ("catalog:office_licence_delete", unused, "Open Database License", vocabularies),
    ):
        response = office.get(gov_url(government, name, pk=obj.pk))
        body = response.content.decode()
        assert response.status_code == 200, name
        assert f"<h1>Delete “{label}”</h1>" in body, name
        assert "This removes it from the portal and the API. The audit log keeps a record of the deletion." in body
        assert 'name="confirm"' in body and f'<a href="{back}">Cancel</a>' in body, name
    # A licence in use cannot go: the page says why and offers only the way back.
    in_use = gov_url(government, "catalog:office_licence_delete", pk=dataset.licence_id)
    for response in (office.get(in_use), office.post(in_use, {"confirm": "on"})):
        body = response.content.decode()
        assert 'id="delete-refusal"' in body and "1 dataset uses it. Change its licence first." in body
        assert f'<a href="{vocabularies}">Back to the list</a>' in body and 'name="confirm"' not in body
    assert office.post(in_use, {"confirm": "on"}).status_code == 409
    with government_scope(government):
        assert Licence.objects.filter(pk=dataset.licence_id).exists()
