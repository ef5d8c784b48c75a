"""Two governments' geovisors side by side, read outside HTTP: the selectors seen from inside
each government's scope in turn, and the hooks that the catalog's jobs and other modules call
through core (open-data tables, DPA boundaries, home-page figures), which enter the government's
scope themselves. No test here disables django-scopes: a query without a government scope
raises ScopeError."""

from __future__ import annotations

from contextlib import nullcontext

import pytest

from minga.core import opendata, registry
from minga.core.tenancy.scoping import government_scope

from .. import selectors, services
from ..search import REGISTRATIONS
from .conftest import feature_collection, make_layer, square

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_geovisors(government, other_government):
    """The same slugs in both governments: a parish layer with a choropleth on it."""
    parishes = {government: ("130150", "Parroquia Norte"), other_government: ("010150", "Parroquia Cuenca")}
    for owner, (code, name) in parishes.items():
        areas = make_layer(
            owner,
            title=f"Parroquias de {owner.short_name}",
            slug="parroquias",
            data=feature_collection(square(-80.5, -1.1, nombre=name, dpa=code)),
        )
        with government_scope(owner):
            services.choropleth_create(
                actor=None,
                government=owner,
                layer=areas,
                title=f"Población de {owner.short_name}",
                slug="poblacion",
                join_property="dpa",
                value_label="habitantes",
                value_column="v",
                file_name="p.csv",
                data=f"dpa,v\n{code},5\n".encode(),
            )
    make_layer(government, title="Catastro interno", slug="catastro", is_public=False)
    return parishes


def test_selectors_read_only_their_government_inside_its_scope(two_geovisors, government):
    for owner in two_geovisors:
        with government_scope(owner):
            own = f"Parroquias de {owner.short_name}"
            assert [layer.title for layer in selectors.public_layers(owner)] == [own]
            office = {layer.title for layer in selectors.office_layers(owner)}
            assert office == ({own, "Catastro interno"} if owner == government else {own})
            assert [c.title for c in selectors.public_choropleths(owner)] == [f"Población de {owner.short_name}"]
            assert [c.title for c in selectors.office_choropleths(owner)] == [f"Población de {owner.short_name}"]
            assert [c.title for c in selectors.public_collections(owner)] == [own]
            collection = selectors.public_collection(owner, "parroquias")
            assert collection.title == own
            [feature] = selectors.layer_features(collection.layer)
            assert feature.properties["nombre"] == two_geovisors[owner][1]
            [registration] = REGISTRATIONS
            assert [layer.title for layer in registration.queryset(owner)] == [own]


@pytest.mark.parametrize("caller_scope", ["none", "the other government"])
def test_hooks_called_through_core_hold_their_own_government(two_geovisors, caller_scope):
    """The catalog's jobs read the open-data tables, the catalog's map reads the DPA boundaries
    and the home page reads the figures through core's registry: each answers for the government
    it is given, whatever scope its caller is in."""
    governments = list(two_geovisors)
    for owner, (code, name) in two_geovisors.items():
        other = governments[1 - governments.index(owner)]
        with government_scope(other) if caller_scope != "none" else nullcontext():
            tables = {table.key: list(table.rows()) for table in opendata.tables_for(owner, "geo")}
            areas = registry.dpa_areas(owner, {"130150", "010150"})
            stats = list(registry.manifest("geo").public_stats(owner).values())
        assert set(tables) == {"geo.layer.parroquias", "geo.choropleth.poblacion"}
        assert [row[1] for row in tables["geo.layer.parroquias"]] == [name]
        assert tables["geo.choropleth.poblacion"] == [(code, name, 5.0)]
        assert {found: area.name for found, area in areas.items()} == {code: name}
        assert stats == [1]


def test_a_slug_taken_in_another_government_is_still_free(government, other_government):
    first, second = make_layer(government), make_layer(other_government)
    assert first.slug == second.slug == "centros-de-salud"
    for owner in (government, other_government):
        with government_scope(owner):
            assert selectors.public_collection(owner, "centros-de-salud").layer.government_id == owner.pk


def test_selectors_never_answer_with_the_rows_of_the_scope_they_run_in(two_geovisors):
    """Two guards, both kept: the scope, and each selector's own filter on the government it is
    given. Asked about one government from inside the other's scope, a selector answers nothing,
    never the rows of the scope it runs in."""
    first, second = two_geovisors
    [registration] = REGISTRATIONS
    for owner, scope_of in ((first, second), (second, first)):
        with government_scope(scope_of):
            assert not selectors.public_layers(owner).exists()
            assert not selectors.office_layers(owner).exists()
            assert not selectors.public_choropleths(owner).exists()
            assert not selectors.office_choropleths(owner).exists()
            assert selectors.public_collection(owner, "parroquias") is None
            assert not registration.queryset(owner).exists()
