"""The coordinate systems shared by the geovisor and the works import: what a file or an
official names, and the conversion to WGS 84 longitude/latitude."""

import pytest
from django.utils import translation
from pyproj import Transformer

from minga.core import spatial


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("text", ["32717", "EPSG:32717", "urn:ogc:def:crs:EPSG::32717", " epsg:32717 "])
def test_the_ways_files_and_officials_name_a_system(text):
    assert spatial.crs_label(spatial.parse_crs(text)) == "EPSG:32717"


def test_empty_declarations_and_files_without_crs_are_none():
    assert spatial.declared_crs("  ") is None
    assert spatial.geojson_crs({"type": "FeatureCollection", "features": []}) is None
    assert spatial.geojson_crs({"crs": {"type": "name", "properties": {}}}) is None
    named = {"crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::31992"}}}
    assert spatial.crs_label(spatial.geojson_crs(named)) == "EPSG:31992"


@pytest.mark.parametrize("text", ["999999", "UTM 17 sur"])
def test_unknown_systems_are_refused_with_a_message(text):
    with pytest.raises(spatial.UnknownCRS, match="not a coordinate reference system this platform knows"):
        spatial.parse_crs(text)
    with translation.override("es"), pytest.raises(spatial.UnknownCRS, match="no es un sistema de referencia"):
        spatial.parse_crs(text)


def test_wgs84_needs_no_conversion_whatever_its_axis_order():
    assert spatial.transformer_to_wgs84(spatial.parse_crs("4326")) is None
    assert spatial.transformer_to_wgs84(spatial.parse_crs("OGC:CRS84")) is None


def test_geojson_coordinates_are_converted_in_place_of_a_copy():
    transformer = spatial.transformer_to_wgs84(spatial.parse_crs("32717"))
    reference = Transformer.from_crs("EPSG:32717", "EPSG:4326", always_xy=True)
    geometry = {
        "type": "GeometryCollection",
        "geometries": [
            {"type": "Point", "coordinates": [560000.0, 9880000.0, 42.0]},
            {
                "type": "Polygon",
                "coordinates": [[[560000, 9880000], [561000, 9880000], [561000, 9881000], [560000, 9880000]]],
            },
        ],
    }
    converted = spatial.reproject_geojson(geometry, transformer, precision=7)
    lon, lat, height = converted["geometries"][0]["coordinates"]
    assert (lon, lat) == pytest.approx(reference.transform(560000.0, 9880000.0), abs=1e-7) and height == 42.0
    assert converted["geometries"][1]["coordinates"][0][2] == pytest.approx(
        reference.transform(561000, 9881000), abs=1e-7
    )
    assert geometry["geometries"][0]["coordinates"] == [560000.0, 9880000.0, 42.0]  # the input is untouched
    assert spatial.reproject_geojson(geometry, None) is geometry


@pytest.mark.parametrize(
    "geometry",
    [
        {"type": "Point", "coordinates": ["x", "y"]},
        {"type": "LineString", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": [[[1e30, 1e30], [1e30, 1e30], [1e30, 1e30]]]},
    ],
)
def test_coordinates_that_cannot_be_read_or_converted_raise(geometry):
    transformer = spatial.transformer_to_wgs84(spatial.parse_crs("32717"))
    with pytest.raises(ValueError):
        spatial.reproject_geojson(geometry, transformer)
