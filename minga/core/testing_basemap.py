"""A small PMTiles v3 file of vector tiles that the tests make themselves: the Protomaps
basemap's "earth" layer over every tile and its "water" layer west of a meridian off the coast
of Manabí, zooms 0 to 6 around Ecuador. The tiles are Mapbox Vector Tiles written here (a few
protobuf fields); the archive is written by the `pmtiles` package's writer."""

from __future__ import annotations

import io
import math

EXTENT = 4096
COAST_LONGITUDE = -80.6
AREA = (-81.5, -5.0, -75.0, 1.5)  # west, south, east, north
MAX_ZOOM = 6


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _field(number: int, wire: int, payload: bytes | int) -> bytes:
    key = _varint((number << 3) | wire)
    if wire == 0:
        return key + _varint(int(payload))
    return key + _varint(len(payload)) + payload


def _zigzag(value: int) -> int:
    return (value << 1) ^ (value >> 31)


def _polygon(x0: int, y0: int, x1: int, y1: int) -> bytes:
    """One clockwise rectangle (an exterior ring in tile coordinates, y down) as packed
    geometry commands: MoveTo, LineTo x3, ClosePath."""
    commands = [(1 & 7) | (1 << 3), _zigzag(x0), _zigzag(y0), (2 & 7) | (3 << 3)]
    points = [(x1, y0), (x1, y1), (x0, y1)]
    cx, cy = x0, y0
    for x, y in points:
        commands += [_zigzag(x - cx), _zigzag(y - cy)]
        cx, cy = x, y
    commands.append((7 & 7) | (1 << 3))
    return b"".join(_varint(c) for c in commands)


def _layer(name: str, rectangles: list[tuple[int, int, int, int]], kind: str) -> bytes:
    features = b""
    for number, rectangle in enumerate(rectangles, start=1):
        feature = (
            _field(1, 0, number)
            + _field(2, 2, _varint(0) + _varint(0))  # tags: kind = <kind>
            + _field(3, 0, 3)  # POLYGON
            + _field(4, 2, _polygon(*rectangle))
        )
        features += _field(2, 2, feature)
    value = _field(1, 2, kind.encode())
    return _field(
        3,
        2,
        _field(15, 0, 2)
        + _field(1, 2, name.encode())
        + features
        + _field(3, 2, b"kind")
        + _field(4, 2, value)
        + _field(5, 0, EXTENT),
    )


def _tile_x(longitude: float, z: int) -> float:
    return (longitude + 180) / 360 * (1 << z)


def _tile_y(latitude: float, z: int) -> float:
    radians = math.radians(latitude)
    return (1 - math.log(math.tan(radians) + 1 / math.cos(radians)) / math.pi) / 2 * (1 << z)


def vector_tile(z: int, x: int) -> bytes:
    coast = (_tile_x(COAST_LONGITUDE, z) - x) * EXTENT
    tile = _layer("earth", [(0, 0, EXTENT, EXTENT)], "earth")
    if coast > 0:
        tile += _layer("water", [(0, 0, min(int(coast), EXTENT), EXTENT)], "ocean")
    return tile


def tiny_pmtiles() -> bytes:
    from pmtiles.tile import Compression, TileType, zxy_to_tileid
    from pmtiles.writer import Writer

    tiles = []
    for z in range(MAX_ZOOM + 1):
        west, south, east, north = AREA
        for x in range(int(_tile_x(west, z)), int(_tile_x(east, z)) + 1):
            for y in range(int(_tile_y(north, z)), int(_tile_y(south, z)) + 1):
                tiles.append((zxy_to_tileid(z, x, y), vector_tile(z, x)))
    tiles.sort()
    buffer = io.BytesIO()
    writer = Writer(buffer)
    for tile_id, data in tiles:
        writer.write_tile(tile_id, data)
    west, south, east, north = AREA
    writer.finalize(
        {
            "tile_type": TileType.MVT,
            "tile_compression": Compression.NONE,
            "min_lon_e7": int(west * 1e7),
            "min_lat_e7": int(south * 1e7),
            "max_lon_e7": int(east * 1e7),
            "max_lat_e7": int(north * 1e7),
            "center_zoom": 4,
            "center_lon_e7": int(-78.5 * 1e7),
            "center_lat_e7": int(-1.5 * 1e7),
        },
        {"name": "Minga test base map", "attribution": "test", "vector_layers": []},
    )
    return buffer.getvalue()
