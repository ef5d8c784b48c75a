"""Fetch the front-end files Minga serves itself (no CDN) from the npm registry, pinned by
version and verified by the registry's SHA-512 integrity hash. Nothing is copied into the
repository by hand; the files land in core/static/vendor/ (ignored by git)."""

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

STATIC_VENDOR = Path(__file__).resolve().parents[2] / "static" / "vendor"
# axe-core is only for the browser tests, so it is kept out of the served static files.
TEST_VENDOR = settings.PROJECT_DIR / "tests" / "browser" / "vendor"
# Data read by the server, never served as a file (the fallback base map cuts Ecuador out of it).
DATA_VENDOR = STATIC_VENDOR.parent.parent / "data" / "vendor"
REGISTRY = "https://registry.npmjs.org"
# name, version, sha512 integrity (from the registry's dist.integrity), files to extract
ASSETS = [
    (
        "htmx.org",
        "2.0.11",
        "sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA==",
        {"package/dist/htmx.min.js": STATIC_VENDOR / "htmx.min.js"},
    ),
    (
        # Interactive maps (geovisor, public works): a script island over pages that already
        # show their layers as server-rendered SVG and tables.
        "leaflet",
        "1.9.4",
        "sha512-nxS1ynzJOmOlHp+iL3FyWqK89GtNL8U8rvlMOsQdTTssxZwCXh8N2NB3GDQOL+YR3XnWyZAxwQixURb+FA74PA==",
        {
            "package/dist/leaflet.js": STATIC_VENDOR / "leaflet" / "leaflet.js",
            "package/dist/leaflet.css": STATIC_VENDOR / "leaflet" / "leaflet.css",
            # Referenced by the two files above; the static-files manifest refuses dangling links.
            "package/dist/leaflet.js.map": STATIC_VENDOR / "leaflet" / "leaflet.js.map",
            **{
                f"package/dist/images/{image}": STATIC_VENDOR / "leaflet" / "images" / image
                for image in (
                    "layers.png",
                    "layers-2x.png",
                    "marker-icon.png",
                    "marker-icon-2x.png",
                    "marker-shadow.png",
                )
            },
        },
    ),
    (
        # Base map from the operator's PMTiles file: protomaps-leaflet draws the vector tiles
        # that pmtiles reads with HTTP range requests. Loaded only on map pages, after the map.
        "pmtiles",
        "4.5.0",
        "sha512-CBeD4SoUluFziGdy/8k7FOjQxQy486n+929W/tWophauvMICpkZ26vGBWhDt/6b1FZQWNaf4jFdT/5+q0Wii5w==",
        {
            "package/dist/pmtiles.js": STATIC_VENDOR / "pmtiles" / "pmtiles.js",
            "package/dist/pmtiles.js.map": STATIC_VENDOR / "pmtiles" / "pmtiles.js.map",
        },
    ),
    (
        "protomaps-leaflet",
        "5.1.0",
        "sha512-N0YY1Gbw5nZ9n8VUOvwHKm/w3zhTTuaZEeMZl8doHemeM4ujGPp2otI6t4Sgqrz8iM4svx2rpG1Q17rHkOWSaA==",
        {
            "package/dist/protomaps-leaflet.js": STATIC_VENDOR / "protomaps-leaflet" / "protomaps-leaflet.js",
            "package/dist/protomaps-leaflet.js.map": STATIC_VENDOR / "protomaps-leaflet" / "protomaps-leaflet.js.map",
        },
    ),
    (
        # Natural Earth (public domain) country outlines as TopoJSON: the fallback base map's
        # outline and coastline of Ecuador and its neighbours when no PMTiles file is set.
        "world-atlas",
        "2.0.2",
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==",
        {"package/countries-10m.json": DATA_VENDOR / "countries-10m.json"},
    ),
    (
        "axe-core",
        "4.14.1",
        "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==",
        {"package/axe.min.js": TEST_VENDOR / "axe.min.js"},
    ),
]


class Command(BaseCommand):
    help = "Download pinned front-end assets and map data (htmx, Leaflet, PMTiles, Natural Earth, axe-core) from npm."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, force=False, **options):
        for name, version, integrity, files in ASSETS:
            if not force and all(target.exists() for target in files.values()):
                continue
            url = f"{REGISTRY}/{name}/-/{name.split('/')[-1]}-{version}.tgz"
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - fixed https URL
                payload = response.read()
            algorithm, _, expected = integrity.partition("-")
            actual = base64.b64encode(hashlib.new(algorithm, payload).digest()).decode()
            if actual != expected:
                raise CommandError(f"{name}@{version}: integrity mismatch (got {algorithm}-{actual})")
            with tarfile.open(fileobj=io.BytesIO(payload), mode="r:gz") as archive:
                for member, target in files.items():
                    extracted = archive.extractfile(member)
                    if extracted is None:
                        raise CommandError(f"{name}@{version}: {member} missing")
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(extracted.read())
            self.stdout.write(f"fetched {name}@{version}")
