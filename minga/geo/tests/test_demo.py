"""The demo layers: idempotent, on land inside the territory they describe, and titled so that
the province's layers and its cantons' never read alike."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely.geometry

from minga.core.tenancy import demo_territory as territory
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import GovernmentFactory
from minga.core.ui import basemap

from .. import demo
from ..models import Choropleth, Feature, Layer

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 12, 0, tzinfo=dt.UTC)
# Rounding the published coordinates and the shapefile's trip through UTM move a vertex by
# far less than this (about 10 m).
TOLERANCE = 0.0001


def _seed(government) -> dict[str, Layer]:
    # `minga demo` runs each module's seed inside the government's scope.
    with government_scope(government):
        demo.seed(government, now=NOW)
        return {layer.slug: layer for layer in Layer.objects.filter(government=government)}


def _outside(government, layer: Layer, area) -> list[str]:
    with government_scope(government):
        features = list(Feature.objects.filter(layer=layer).values_list("properties", "geometry"))
    assert features
    bound = area.buffer(TOLERANCE)
    return [
        props.get("nombre", "") for props, geometry in features if not bound.contains(shapely.geometry.shape(geometry))
    ]


@pytest.fixture
def cantons(government):
    return [
        GovernmentFactory(level="canton", dpa_code=code, slug=slug, short_name=name, parent=government)
        for code, slug, name in (("1301", "portoviejo", "Portoviejo"), ("1308", "manta", "Manta"))
    ]


def test_demo_seed_is_idempotent_and_on_the_provinces_land(government):
    layers = _seed(government)
    assert _seed(government).keys() == layers.keys()
    assert set(layers) == {"cantones-demostracion", "vias-rurales-demostracion", "puntos-agua-salud-demostracion"}
    assert layers["vias-rurales-demostracion"].original_crs == "EPSG:32717"
    assert {layer.geometry_kind for layer in layers.values()} == {"area", "line", "point"}
    assert all(layer.is_public and layer.version == 1 for layer in layers.values())
    for layer in layers.values():
        assert _outside(government, layer, territory.province_area()) == [], layer.slug
    with government_scope(government):
        choropleth = Choropleth.objects.get(government=government)
        names = set(
            Feature.objects.filter(layer=layers["cantones-demostracion"]).values_list("properties__nombre", flat=True)
        )
    assert names == {name for _code, name, _seat, _points in territory.CANTONS}
    assert len(choropleth.values) == layers["cantones-demostracion"].feature_count == 22


def test_a_cantons_layers_lie_inside_the_canton(government, cantons):
    portoviejo = cantons[0]
    layers = _seed(portoviejo)
    assert set(layers) == {"parroquias-demostracion", "vias-rurales-demostracion", "puntos-agua-salud-demostracion"}
    for layer in layers.values():
        assert _outside(portoviejo, layer, territory.area("1301")) == [], layer.slug
    with government_scope(portoviejo):
        parishes = Feature.objects.filter(layer=layers["parroquias-demostracion"])
        assert {f.properties["dpa_parroquia"][:4] for f in parishes} == {"1301"}
        assert "Picoazá" in {f.properties["nombre"] for f in parishes}


def test_no_two_demo_governments_share_a_layer_or_choropleth_title(government, cantons):
    titles: dict[str, str] = {}
    for owner in (government, *cantons):
        _seed(owner)
        with government_scope(owner):
            mine = [*Layer.objects.values_list("title", flat=True), *Choropleth.objects.values_list("title", flat=True)]
        assert len(mine) == len(set(mine)) == 4
        for title in mine:
            assert title not in titles, f"{owner.slug} and {titles[title]} both publish “{title}”"
            titles[title] = owner.slug
    assert "Parroquias del cantón Portoviejo (demostración)" in titles
    assert "Cantones de Manabí (demostración)" in titles
    # The canton's base map shows its own parishes and the province's cantons: two layers the
    # map names apart.
    with government_scope(cantons[0]):
        boundaries = [f for f in basemap.fallback(cantons[0])["features"] if f["properties"]["kind"] == "boundary"]
    assert {f["properties"]["layer"] for f in boundaries} == {
        "Parroquias del cantón Portoviejo (demostración)",
        "Cantones de Manabí (demostración)",
    }
