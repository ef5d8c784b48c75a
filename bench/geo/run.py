"""Geovisor benchmarks, side by side with their peers in one run, in one process on a scratch
SQLite database (`.venv/bin/python bench/geo/run.py --features 20000`):

1. import: a generated GeoJSON of parcels in EPSG:32717 through Minga's upload service (read,
   reproject, validate and repair, store features with bbox columns, atomically), against the
   bare library floor doing only the work every import needs (json.loads, shapely.from_geojson,
   pyproj reprojection, shapely validity check; nothing stored). Features per second and ratio.
2. OGC API – Features items with a bbox (10% of the territory, limit 100) and the geovisor map
   data, through the whole Django stack (middleware, tenancy scope) with the test client:
   p50/p95 server time against a bare Django view inside the same government on the same stack.

The figures are printed and written to bench/results/geo-*.json (not committed)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

WEST, SOUTH, EAST, NORTH = -80.9, -1.9, -79.5, 0.3  # roughly the demo province


def parcels_geojson(count: int, seed: int = 13) -> bytes:
    from pyproj import Transformer

    to_utm = Transformer.from_crs(4326, 32717, always_xy=True)
    rng = random.Random(seed)  # noqa: S311 - generated data
    features = []
    for number in range(count):
        lon, lat = rng.uniform(WEST, EAST), rng.uniform(SOUTH, NORTH)
        x, y = to_utm.transform(lon, lat)
        size = rng.uniform(40, 400)
        ring = [[x, y], [x + size, y], [x + size, y + size * 0.8], [x, y + size], [x, y]]
        if number % 50 == 0:  # a bow-tie now and then, as real cadastral files have
            ring = [[x, y], [x + size, y + size], [x + size, y], [x, y + size], [x, y]]
        features.append(
            {
                "type": "Feature",
                "properties": {"clave": f"13{number:08d}", "uso": rng.choice(["urbano", "rural", "protección"])},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32717"}},
        "features": features,
    }
    return json.dumps(document).encode()


def bare_floor(data: bytes) -> int:
    import numpy as np
    import shapely
    from pyproj import Transformer

    transformer = Transformer.from_crs(32717, 4326, always_xy=True)

    def project(coords):
        x, y = transformer.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    valid = 0
    for feature in json.loads(data)["features"]:
        geometry = shapely.transform(shapely.from_geojson(json.dumps(feature["geometry"])), project)
        valid += bool(geometry.is_valid)
    return valid


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p95_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000, 2),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--features", type=int, default=20_000, help="parcels in the generated file")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per URL")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="minga-bench-geo-"))
    os.environ["MINGA_VAR_DIR"] = str(scratch)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.bench_settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django_scopes import scopes_disabled

    from bench.run import RESULTS, machine
    from minga.core.tenancy.models import Government
    from minga.geo import services

    call_command("migrate", verbosity=0)
    report: dict = {"date": dt.date.today().isoformat(), "machine": machine(), "args": vars(args)}
    print(f"machine: {report['machine']}")

    data = parcels_geojson(args.features)
    floor_seconds, _valid = timed(bare_floor, data)
    with scopes_disabled():
        government = Government.objects.create(
            name="Gobierno Provincial de Manabí", short_name="Manabí", slug="manabi", dpa_code="13", level="province"
        )
        import_seconds, (layer, import_report) = timed(
            services.layer_create,
            actor=None,
            government=government,
            title="Predios",
            slug="predios",
            file_name="predios.geojson",
            data=data,
            is_public=True,
        )
    report["import"] = {
        "features": args.features,
        "megabytes": round(len(data) / 1e6, 1),
        "minga_features_per_s": round(args.features / import_seconds),
        "bare_floor_features_per_s": round(args.features / floor_seconds),
        "ratio_to_floor": round(floor_seconds / import_seconds, 2),
        "repaired": len(import_report.repaired),
    }
    print(f"import: {report['import']}")

    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(7)  # noqa: S311
    width, height = (EAST - WEST) * 0.3162, (NORTH - SOUTH) * 0.3162  # a tenth of the area

    def bbox() -> str:
        west, south = rng.uniform(WEST, EAST - width), rng.uniform(SOUTH, NORTH - height)
        return f"{west:.4f},{south:.4f},{west + width:.4f},{south + height:.4f}"

    targets = {
        "bare view in gov": lambda: "/g/manabi/bench/bare/",
        "OGC items bbox limit=100": lambda: f"/g/manabi/geovisor/ogc/collections/predios/items?limit=100&bbox={bbox()}",
        "OGC items limit=100 no bbox": lambda: "/g/manabi/geovisor/ogc/collections/predios/items?limit=100&offset=5000",
    }
    report["requests"] = {}
    for label, address in targets.items():
        for _ in range(5):
            assert client.get(address()).status_code == 200, label
        samples = []
        for _ in range(args.requests):
            seconds, response = timed(client.get, address())
            assert response.status_code == 200
            samples.append(seconds)
        report["requests"][label] = percentiles(samples)
    bare = report["requests"]["bare view in gov"]["p50_ms"]
    for label, figures in report["requests"].items():
        figures["ratio_to_bare_p50"] = round(bare / figures["p50_ms"], 3)
        print(
            f"{label:32} p50 {figures['p50_ms']:8.2f} ms  p95 {figures['p95_ms']:8.2f} ms  ratio {figures['ratio_to_bare_p50']}"
        )

    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"geo-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
