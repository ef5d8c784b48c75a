"""A dataset published by a unit of the organisation chart, across two modules that do not
import each other (core's unit directory carries it): the catalog's form offers the
institution's units, the dataset page links to the unit's page, the unit's contact e-mail
receives the late notices, the API names the unit; with the institution module switched off
the catalog keeps working with the publisher as text; the demo's datasets point at the demo's
units."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from minga.catalog import demo as catalog_demo
from minga.catalog.datasets.models import Dataset
from minga.catalog.quality import notices
from minga.catalog.tests import factories as catalog
from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.testing import gov_url, login_verified, make_official
from minga.institution import demo as institution_demo
from minga.institution.models import Unit
from minga.institution.tests import factories as institution

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    settings.DATASTORE_SQLITE_PATH = tmp_path / "datastore.sqlite3"
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def unit(government):
    return institution.unit(government, name="Dirección de Movilidad", slug="movilidad", email="movilidad@gad.ec")


def test_the_office_picks_an_institution_unit_and_the_page_links_it(client, government, unit):
    institution.unit(government, name="Archivo interno", slug="archivo", is_public=False)
    editor = make_official(government, "editor", "catalog")
    login_verified(client, editor)
    form = client.get(gov_url(government, "catalog:office_dataset_create")).content.decode()
    assert f'<option value="{unit.pk}">Dirección de Movilidad</option>' in form
    assert "Archivo interno" not in form  # hidden units have no public page
    response = client.post(
        gov_url(government, "catalog:office_dataset_create"),
        {
            "title": "Siniestros de tránsito",
            "summary": "Accidentes por cantón.",
            "frequency": "MONTHLY",
            "licence": catalog.licence(government).pk,
            "publisher_unit": str(unit.pk),
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        dataset = Dataset.objects.get(title="Siniestros de tránsito")
    assert dataset.publisher == "Dirección de Movilidad"
    client.logout()
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug)).content.decode()
    unit_page = gov_url(government, "institution:unit_detail", slug="movilidad")
    assert f'<a href="{unit_page}" id="publisher-unit">Dirección de Movilidad</a>' in page
    assert client.get(unit_page).status_code == 200
    body = client.get(gov_url(government, "catalog-api:dataset", slug=dataset.slug)).json()
    assert body["publisher"]["unit"]["slug"] == "movilidad"


def test_the_units_email_gets_the_late_notice(government, unit):
    dataset = catalog.dataset(government, frequency="MONTHLY", publisher_unit=str(unit.pk))
    with scopes_disabled():
        Dataset.objects.filter(pk=dataset.pk).update(next_update_due=dt.date(2020, 1, 1))
    with government_scope(government):
        assert notices.notify_overdue(government=government) == 1
    assert mail.outbox[0].to == ["movilidad@gad.ec"]


def test_with_the_institution_module_off_the_catalog_works_with_text(client, government, unit, english):
    linked = catalog.dataset(government, publisher_unit=str(unit.pk))
    government.modules = {"institution": {"enabled": False}}
    government.save()
    cache.clear()
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=linked.slug))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Dirección de Movilidad" in html and 'id="publisher-unit"' not in html
    editor = make_official(government, "editor", "catalog")
    login_verified(client, editor)
    form = client.get(gov_url(government, "catalog:office_dataset_edit", pk=linked.pk)).content.decode()
    # The stored unit stays selectable, so saving other changes keeps it.
    assert 'name="publisher_unit"' in form and "Dirección de Movilidad (no longer in the organisation chart)" in form
    response = client.post(
        gov_url(government, "catalog:office_dataset_create"),
        {
            "title": "Texto libre",
            "summary": "Sin organigrama.",
            "frequency": "ANNUAL",
            "licence": catalog.licence(government).pk,
            "publisher": "Dirección de Turismo",
        },
    )
    assert response.status_code == 302
    with scopes_disabled():
        saved = Dataset.objects.get(title="Texto libre")
    assert (saved.publisher, saved.publisher_unit) == ("Dirección de Turismo", "")
    assert client.get(gov_url(government, "catalog:office_freshness")).status_code == 200
    assert client.get(gov_url(government, "catalog-api:publishers")).status_code == 200


def test_demo_datasets_point_at_the_demo_units(government):
    now = timezone.now()
    with government_scope(government):
        institution_demo.seed(government, now=now, stdout=io.StringIO())
        catalog_demo.seed(government, now=now, stdout=io.StringIO())
        units = {str(pk): name for pk, name in Unit.objects.filter(government=government).values_list("pk", "name")}
        datasets = list(Dataset.objects.filter(government=government, source_module=""))
    linked = [dataset for dataset in datasets if dataset.publisher_unit]
    assert len(linked) >= len(datasets) // 2
    assert all(units[dataset.publisher_unit] == dataset.publisher for dataset in linked)
    names = {name.casefold() for name in units.values()}
    assert all(dataset.publisher.casefold() not in names for dataset in datasets if not dataset.publisher_unit)
