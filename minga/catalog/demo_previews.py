"""Demo files that show the previews: rural roads as GeoJSON (map of lines and points),
tourists by province of origin with DPA codes (province grid) and a budget report as PDF.

Added once to datasets the demo already has, generated in code and deterministic per
government slug."""

from __future__ import annotations

import datetime as dt
import json
import random

from django.core.files.uploadedfile import SimpleUploadedFile

from minga.core.tenancy import demo_territory as territory
from minga.core.ui.maps import PROVINCE_NAMES

from .datasets import services
from .datasets.models import Dataset, Resource

# Where each demo government's roads are drawn (province of its DPA code).
CENTRES = {"13": (-1.05, -80.45), "17": (-0.22, -78.51), "09": (-2.19, -79.89), "01": (-2.90, -79.00)}
PARISHES = ["Abdón Calderón", "Alhajuela", "Crucita", "Pueblo Nuevo", "Riochico", "San Plácido", "Chirijos"]
# Tourists come from every province; the home province and the big cities send the most.
ORIGIN_WEIGHT = {"17": 9, "09": 8, "01": 4, "18": 3, "23": 3, "13": 6}


def seed(government, *, now: dt.datetime) -> int:
    """Files added (0 when they are there already)."""
    rng = random.Random(f"catalog-previews:{government.slug}")  # noqa: S311 - demo data
    roads, origins, report = _roads(government, rng), _origins(government, rng), _report(government)
    added = 0
    for slug, name, title, description, content in (
        (
            "red-vial",
            "red-vial-rural.geojson",
            "Red vial rural (GeoJSON)",
            "Trazado de los caminos rurales y sus puentes, en coordenadas WGS84.",
            roads,
        ),
        (
            "llegadas-turistas-2025",
            "turistas-por-provincia-de-origen.csv",
            "Turistas por provincia de origen (CSV)",
            "Visitantes de 2025 por provincia de residencia, con el código DPA de la provincia.",
            origins,
        ),
        (
            "ejecucion-presupuestaria-2025",
            "informe-ejecucion-presupuestaria.pdf",
            "Informe de ejecución presupuestaria (PDF)",
            "Resumen del informe presentado al consejo.",
            report,
        ),
    ):
        dataset = Dataset.objects.filter(government=government, slug=slug).first()
        if dataset is None or Resource.objects.filter(dataset=dataset, original_name=name).exists():
            continue
        services.resource_add(
            actor=None,
            government=government,
            dataset=dataset,
            title=title,
            description=description,
            file=SimpleUploadedFile(name, content),
            order=5,
            now=now,
        )
        added += 1
    return added


def _road_places(government) -> list[tuple[str, object]]:
    """(name, land) of the places the demo roads run through: a canton's parishes, or the
    province's cantons, from the demo territory (a canton's rural parishes where it has
    some); [] for a government outside it."""
    code = government.dpa_code or ""
    parishes = territory.parish_areas(code)
    if parishes:
        rural = [(name, area) for name, urban, area in parishes.values() if not urban]
        return rural or [(name, area) for name, _urban, area in parishes.values()]
    if code == territory.PROVINCE_CODE:
        return [(territory.canton_name(dpa), area) for dpa, area in territory.canton_areas().items()]
    return []


def _roads(government, rng) -> bytes:
    """Eight rural roads, each with a bridge halfway, inside the government's land (the demo
    territory's parishes or cantons; around the province's capital elsewhere)."""
    places = _road_places(government)
    lat, lon = CENTRES.get((government.dpa_code or "13")[:2], CENTRES["13"])
    features = []
    for number in range(8):
        if places:
            name, area = places[number * 5 % len(places)]
            line = territory.line_inside(rng, area, length=rng.uniform(0.03, 0.08))
            points = [(round(x, 5), round(y, 5)) for x, y in line.coords]
        else:
            name = PARISHES[number % len(PARISHES)]
            points = [(lon + rng.uniform(-0.3, 0.3), lat + rng.uniform(-0.3, 0.3))]
            for _step in range(rng.randint(4, 9)):
                x, y = points[-1]
                points.append((x + rng.uniform(-0.04, 0.06), y + rng.uniform(-0.05, 0.05)))
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "nombre": f"Camino rural de {name}, ramal {number + 1}",
                    "superficie": rng.choice(["lastre", "asfalto", "tierra"]),
                },
                "geometry": {"type": "LineString", "coordinates": [[round(x, 5), round(y, 5)] for x, y in points]},
            }
        )
        middle = points[len(points) // 2]
        features.append(
            {
                "type": "Feature",
                "properties": {"nombre": f"Puente sobre el estero, ramal {number + 1}"},
                "geometry": {"type": "Point", "coordinates": [round(middle[0], 5), round(middle[1], 5)]},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False, indent=1).encode()


def _origins(government, rng) -> bytes:
    home = (government.dpa_code or "13")[:2]
    lines = ["cod_provincia,provincia_origen,visitantes"]
    for code, name in sorted(PROVINCE_NAMES.items()):
        weight = 12 if code == home else ORIGIN_WEIGHT.get(code, 1)
        lines.append(f"{code},{name},{int(weight * rng.uniform(800, 1400))}")
    return ("\n".join(lines) + "\n").encode()


def _report(government) -> bytes:
    """A one-page PDF written by hand: enough for the preview, with a correct cross-reference table."""
    text = [
        "Informe de ejecucion presupuestaria 2025",
        government.name.encode("ascii", "ignore").decode(),
        "Documento generado para la demostracion: no es un informe oficial.",
    ]
    stream = "BT /F1 18 Tf 60 760 Td (" + text[0] + ") Tj /F1 12 Tf 0 -28 Td (" + text[1] + ") Tj"
    stream += " 0 -20 Td (" + text[2] + ") Tj ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        " /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out
