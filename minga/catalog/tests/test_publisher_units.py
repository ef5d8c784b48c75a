"""The publisher as a unit of the organisation chart, seen from the catalog alone: core's unit
directory is replaced by a fixed list (the catalog never imports the module that keeps the
chart). The service takes the unit's name as the label and refuses unknown units; the form
offers the units plus "another unit"; the dataset pages link the unit; the freshness and
quality panels group by unit; late notices fall back to the unit's e-mail; the API names the
unit; and with no directory at all the text publisher works as before.
tests/test_publisher_units.py runs the same journey against the real institution module."""

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import ValidationError

from minga.core import registry
from minga.core.registry import DirectoryUnit, ModuleManifest
from minga.core.tenancy.scoping import government_scope, scopes_disabled
from minga.core.testing import gov_url, login_verified

from ..datasets import services
from ..datasets.forms import DatasetForm
from ..datasets.models import Dataset
from ..quality import notices
from . import factories

pytestmark = pytest.mark.django_db

FINANCE = DirectoryUnit("7", "Dirección Financiera", "financiera", "/institucion/unidades/financiera/", "fin@gad.ec")
WORKS = DirectoryUnit("9", "Dirección de Obras Públicas", "obras", "/institucion/unidades/obras/", "")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chart(monkeypatch):
    """The government's units, as the module that keeps the chart would list them: a stand-in
    manifest ahead of the installed ones, so the registry's own code hands them out."""
    units = [FINANCE, WORKS]
    stand_in = ModuleManifest(key="organigrama", label="Organigrama", unit_directory=lambda government: list(units))
    installed = registry.manifests
    monkeypatch.setattr(registry, "manifests", lambda: [stand_in, *installed()])
    return units


def _late(government, **fields):
    dataset = factories.dataset(government, frequency="MONTHLY", **fields)
    with scopes_disabled():
        Dataset.objects.filter(pk=dataset.pk).update(next_update_due=dt.date(2020, 1, 1))
    return dataset


def test_the_unit_names_the_publisher_and_unknown_units_are_refused(government, chart):
    dataset = factories.dataset(government, publisher="", publisher_unit="7")
    assert (dataset.publisher_unit, dataset.publisher) == ("7", "Dirección Financiera")
    with pytest.raises(ValidationError) as error:
        factories.dataset(government, publisher="X", publisher_unit="999")
    assert "publisher_unit" in error.value.message_dict
    with government_scope(government):
        updated = services.dataset_update(actor=None, government=government, dataset=dataset, publisher_unit="9")
        assert updated.publisher == "Dirección de Obras Públicas"
        text = services.dataset_update(
            actor=None, government=government, dataset=updated, publisher_unit="", publisher="Unidad externa"
        )
        assert (text.publisher_unit, text.publisher) == ("", "Unidad externa")


def test_a_unit_that_left_the_chart_is_kept_when_editing_something_else(government, chart):
    dataset = factories.dataset(government, publisher_unit="9")
    chart.remove(WORKS)
    with government_scope(government):
        kept = services.dataset_update(actor=None, government=government, dataset=dataset, title="Otro título")
    assert (kept.publisher_unit, kept.publisher) == ("9", "Dirección de Obras Públicas")


def test_the_form_offers_the_units_and_another_unit(government, chart):
    factories.licence(government)
    with government_scope(government):
        form = DatasetForm(government=government)
        assert list(form.fields["publisher_unit"].choices)[1:] == [("7", FINANCE.name), ("9", WORKS.name)]
        assert not form.fields["publisher"].required
        base = {"title": "Gasto", "summary": "Cuánto se gasta.", "frequency": "ANNUAL", "licence": _licence(government)}
        picked = DatasetForm({**base, "publisher_unit": "7"}, government=government)
        assert picked.is_valid(), picked.errors
        assert picked.service_fields()["publisher_unit"] == "7"
        neither = DatasetForm({**base, "publisher_unit": ""}, government=government)
        assert not neither.is_valid() and "publisher" in neither.errors
        other = DatasetForm({**base, "publisher_unit": "", "publisher": "Oficina externa"}, government=government)
        assert other.is_valid(), other.errors
        foreign = DatasetForm({**base, "publisher_unit": "12345"}, government=government)
        assert not foreign.is_valid() and "publisher_unit" in foreign.errors


def _licence(government):
    with government_scope(government):
        return services.default_licence(government).pk


def test_the_office_creates_a_dataset_with_a_unit(client, government, chart, editor):
    login_verified(client, editor)
    data = {
        "title": "Gasto corriente",
        "summary": "Cuánto se gasta.",
        "frequency": "ANNUAL",
        "licence": factories.licence(government).pk,
        "publisher_unit": "9",
        "publisher": "",
    }
    page = client.get(gov_url(government, "catalog:office_dataset_create")).content.decode()
    assert 'name="publisher_unit"' in page and "Dirección de Obras Públicas" in page
    response = client.post(gov_url(government, "catalog:office_dataset_create"), data)
    assert response.status_code == 302
    with scopes_disabled():
        saved = Dataset.objects.get(title="Gasto corriente")
    assert (saved.publisher_unit, saved.publisher) == ("9", "Dirección de Obras Públicas")
    office = client.get(gov_url(government, "catalog:office_dataset", pk=saved.pk)).content.decode()
    assert 'href="/g/manabi/institucion/unidades/obras/"' in office


def test_the_dataset_page_links_the_unit_and_uses_its_email(client, government, chart):
    dataset = factories.dataset(government, publisher_unit="7")
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug)).content.decode()
    assert '<a href="/g/manabi/institucion/unidades/financiera/" id="publisher-unit">Dirección Financiera</a>' in page
    assert "mailto:fin@gad.ec" in page
    text = factories.dataset(government, publisher="Unidad externa")
    page = client.get(gov_url(government, "catalog:dataset_detail", slug=text.slug)).content.decode()
    assert "Unidad externa" in page and 'id="publisher-unit"' not in page


def test_without_a_directory_the_text_publisher_works(client, government, editor):
    """No unit to pick (here: no module lists any): the publisher is text, as it always was."""
    dataset = factories.dataset(government, publisher="Dirección Financiera", publisher_email="f@gad.ec")
    with government_scope(government):
        assert registry.directory_units(government) == []
        form = DatasetForm(government=government)
        assert "publisher_unit" not in form.fields and form.fields["publisher"].required
        page = client.get(gov_url(government, "catalog:dataset_detail", slug=dataset.slug)).content.decode()
        assert "Dirección Financiera" in page and 'id="publisher-unit"' not in page
        login_verified(client, editor)
        edit = client.get(gov_url(government, "catalog:office_dataset_edit", pk=dataset.pk)).content.decode()
        assert 'name="publisher_unit"' not in edit and 'name="publisher"' in edit


def test_panels_group_by_unit(client, government, chart, viewer):
    _late(government, title="Recaudación", publisher_unit="7")
    renamed = _late(government, title="Gasto", publisher_unit="7")
    with scopes_disabled():  # an older label, from before the unit was renamed
        Dataset.objects.filter(pk=renamed.pk).update(publisher="Dirección Financiera (antigua)")
    _late(government, title="Obras", publisher="Dirección Financiera")  # text only: its own group
    login_verified(client, viewer)
    url = gov_url(government, "catalog:office_freshness")
    page = client.get(url).content.decode()
    assert '<option value="u:7">Dirección Financiera</option>' in page
    assert '<option value="Dirección Financiera">Dirección Financiera</option>' in page
    unit = client.get(url, {"unidad": "u:7"}).content.decode()
    assert "Recaudación" in unit and "Gasto" in unit and ">Obras<" not in unit
    quality_url = gov_url(government, "catalog:office_quality")
    ranking = client.get(quality_url).content.decode()
    assert ranking.count('data-key="u:7"') == 1 and 'data-key="Dirección Financiera"' in ranking
    assert 'href="/g/manabi/institucion/unidades/financiera/"' in ranking
    unit = client.get(quality_url, {"unidad": "u:7"}).content.decode()
    assert "Recaudación" in unit and "Gasto" in unit and ">Obras<" not in unit


def test_late_notices_fall_back_to_the_units_email(government, chart):
    _late(government, title="Con correo propio", publisher_unit="7", publisher_email="propio@gad.ec")
    _late(government, title="Sin correo propio", publisher_unit="7")
    _late(government, title="Unidad sin correo", publisher_unit="9", contact_email="contacto@gad.ec")
    _late(government, title="Nadie a quien avisar", publisher_unit="9")
    with government_scope(government):
        sent = notices.notify_overdue(government=government)
    assert sent == 3
    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert set(by_address) == {"propio@gad.ec", "fin@gad.ec", "contacto@gad.ec"}
    assert "Sin correo propio" in by_address["fin@gad.ec"]
    with scopes_disabled():
        assert Dataset.objects.get(title="Nadie a quien avisar").overdue_notified_at is None


def test_the_api_names_the_unit(client, government, chart):
    factories.dataset(government, slug="gasto", publisher_unit="7")
    factories.dataset(government, slug="externo", publisher="Unidad externa")
    item = client.get(gov_url(government, "catalog-api:dataset", slug="gasto")).json()
    assert item["publisher"] == {
        "name": "Dirección Financiera",
        "email": "fin@gad.ec",
        "unit": {
            "key": "7",
            "slug": "financiera",
            "url": "http://testserver/g/manabi/institucion/unidades/financiera/",
        },
    }
    found = client.get(gov_url(government, "catalog-api:publishers")).json()["results"]
    assert [(p["name"], p["unit"] and p["unit"]["key"]) for p in found] == [
        ("Dirección Financiera", "7"),
        ("Unidad externa", None),
    ]
