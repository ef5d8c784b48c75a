import datetime as dt
import json
from dataclasses import replace

import pytest
from django.apps import apps

from minga.core.registry import MapLayer
from minga.core.tenancy.scoping import government_scope
from minga.core.testing import make_official

from .. import services

NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)


def feature_collection(*features, crs: str | None = None) -> bytes:
    document = {"type": "FeatureCollection", "features": list(features)}
    if crs:
        document["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(document).encode()


def point(lon, lat, **properties):
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Point", "coordinates": [lon, lat]}}


def square(west, south, size=0.1, **properties):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Feature", "properties": properties, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def make_layer(government, *, title="Centros de salud", data=None, is_public=True, **fields):
    data = data or feature_collection(
        point(-80.45, -1.05, nombre="Centro Portoviejo", tipo="salud"),
        point(-80.72, -0.95, nombre="Centro Manta", tipo="salud"),
        point(-80.10, -0.30, nombre="Junta Jama", tipo="agua"),
    )
    with government_scope(government):
        layer, _report = services.layer_create(
            actor=None,
            government=government,
            title=title,
            file_name="capa.geojson",
            data=data,
            is_public=is_public,
            now=NOW,
            **fields,
        )
    return layer


@pytest.fixture
def editor(government):
    return make_official(government, "editor", "geo")


@pytest.fixture
def viewer(government):
    return make_official(government, "viewer", "geo")


@pytest.fixture
def layer(government):
    return make_layer(government)


@pytest.fixture
def lent_works(monkeypatch):
    """A stand-in for the works module lending its projects to the geovisor."""
    config = apps.get_app_config("works")

    def layers(government):
        features = [
            {
                "type": "Feature",
                "id": "puente-rio-chico",
                "geometry": {"type": "Point", "coordinates": [-80.40, -1.02]},
                "properties": {"nombre": "Puente sobre el río Chico", "estado": "en ejecución"},
            },
            {
                "type": "Feature",
                "id": "via-manta",
                "geometry": {"type": "LineString", "coordinates": [[-80.72, -0.96], [-80.65, -0.99]]},
                "properties": {"nombre": "Vía a Manta", "estado": "terminada"},
            },
        ]
        return [
            MapLayer(
                key="works.projects",
                module="works",
                title="Obras públicas",
                description="Proyectos de obra pública",
                features=lambda: features,
                url="/obras/",
            )
        ]

    monkeypatch.setattr(config, "manifest", replace(config.manifest, map_layers=layers))
    return layers


@pytest.fixture(autouse=True)
def _english():
    """Reports are read in English here; the Spanish catalogue is checked by the translation tests."""
    from django.utils import translation

    with translation.override("en"):
        yield
