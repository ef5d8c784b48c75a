"""The organisation chart as other modules see it (core's unit directory): public units only,
each with a stable key, its name, slug, page and contact e-mail; nothing when the module is
switched off; and never another government's units."""

import pytest
from django.core.cache import cache

from minga.core import registry
from minga.core.tenancy.scoping import government_scope

from .. import services
from . import factories

pytestmark = pytest.mark.django_db


def test_public_units_with_key_page_and_email(government, other_government):
    finance = factories.unit(government, name="Dirección Financiera", slug="financiera", email="fin@gad.ec")
    factories.unit(government, name="Archivo interno", slug="archivo", is_public=False)
    factories.unit(other_government, name="Dirección Ajena", slug="ajena")
    with government_scope(government):
        units = registry.directory_units(government)
        by_key = registry.directory_unit_map(government)
    assert [unit.name for unit in units] == ["Dirección Financiera"]
    unit = units[0]
    assert (unit.key, unit.slug, unit.email, unit.module) == (
        str(finance.pk),
        "financiera",
        "fin@gad.ec",
        "institution",
    )
    assert unit.url == "/institucion/unidades/financiera/"  # government-relative outside a request
    assert by_key == {str(finance.pk): unit}


def test_the_key_survives_a_rename(government):
    unit = factories.unit(government, name="Dirección de Obras", slug="obras")
    with government_scope(government):
        services.unit_update(actor=None, government=government, unit=unit, name="Dirección de Obras Públicas")
        renamed = registry.directory_unit_map(government)[str(unit.pk)]
    assert renamed.name == "Dirección de Obras Públicas"


def test_nothing_when_the_module_is_switched_off(government):
    factories.unit(government, name="Dirección Financiera", slug="financiera")
    government.modules = {"institution": {"enabled": False}}
    government.save()
    cache.clear()
    with government_scope(government):
        assert registry.directory_units(government) == []
