"""Remote data sources for the demo, served by Minga itself so that automatic refresh can be
seen working: ``/datos/fuentes-demo/<name>.csv`` answers a CSV whose content moves with the
clock (river levels every 15 minutes, parking occupancy every hour, market prices every day),
with ETag and Last-Modified so unchanged checks cost a 304. The demo seed adds one dataset per
source, each with a resource that points at the government's own endpoint
(``settings.DEMO_BASE_URL``) and is kept current automatically. That host is usually an
internal address, which only the operator's ``OUTBOUND_ALLOWED_HOSTS`` can open (the development
settings add it; a demo portal on production settings lists it in ``MINGA_OUTBOUND_ALLOWED_HOSTS``)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import random
import re
from dataclasses import dataclass
from email.utils import format_datetime

from django.conf import settings
from django.utils import timezone

from .datasets import publishers, services
from .datasets.models import Dataset, Resource
from .refresh import services as refresh
from .refresh import sources
from .tables.models import ResourceLoad

_TRAILING = re.compile(r"^(?P<stem>.*?)(?P<tail>( \d{4})?( \([^)]*\))?)$")


def government_title(title: str, government) -> str:
    """The title with the government's name, before a trailing year or note: a province's
    catalog lists its cantons' datasets beside its own, and each title must name one dataset
    ("Ejecución presupuestaria de Manta 2025", "Nivel de los ríos de Manabí (tiempo real)")."""
    found = _TRAILING.match(title)
    return f"{found['stem']} de {government.short_name or government.name}{found['tail']}"


@dataclass(frozen=True)
class DemoSource:
    name: str
    title: str
    summary: str
    publisher: str
    frequency: str
    cron: str
    period: dt.timedelta
    theme: str


SOURCES = (
    DemoSource(
        "nivel-rios",
        "Nivel de los ríos (tiempo real)",
        "Nivel del agua en las estaciones de monitoreo, actualizado cada 15 minutos.",
        "Dirección de Gestión de Riesgos",
        "CONT",
        "*/15 * * * *",
        dt.timedelta(minutes=15),
        "ambiente",
    ),
    DemoSource(
        "parqueaderos",
        "Ocupación de parqueaderos municipales",
        "Plazas libres y ocupadas en cada parqueadero municipal, actualizado cada hora.",
        "Dirección de Movilidad",
        "CONT",
        "5 * * * *",
        dt.timedelta(hours=1),
        "movilidad",
    ),
    DemoSource(
        "precios-mercado",
        "Precios referenciales en mercados",
        "Precio por libra o unidad de productos de la canasta básica en los mercados, cada día.",
        "Dirección de Desarrollo Económico",
        "DAILY",
        "",
        dt.timedelta(days=1),
        "produccion",
    ),
)
BY_NAME = {source.name: source for source in SOURCES}
STATIONS = ("Río Portoviejo – Puente Velasco", "Río Chico", "Río Jipijapa", "Río Chone", "Río Carrizal")
PARKINGS = ("Centro", "Mercado Central", "Terminal Terrestre", "Malecón", "Parque de la Rotonda", "Hospital")
PRODUCTS = (
    ("Arroz", "lb", 0.55),
    ("Plátano verde", "unidad", 0.25),
    ("Tomate riñón", "lb", 0.7),
    ("Cebolla colorada", "lb", 0.6),
    ("Pollo", "lb", 1.9),
    ("Queso fresco", "lb", 2.6),
    ("Huevos", "unidad", 0.15),
)


def _bucket(source: DemoSource, now: dt.datetime) -> dt.datetime:
    seconds = int(source.period.total_seconds())
    stamp = int(now.timestamp()) // seconds * seconds
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC)


def _rows(source: DemoSource, slug: str, at: dt.datetime) -> tuple[list[str], list[list]]:
    rng = random.Random(f"{slug}:{source.name}:{at.isoformat()}")  # noqa: S311 - demo data
    local = timezone.localtime(at)
    if source.name == "nivel-rios":
        rows = []
        for back in range(8):  # the last two hours of readings: each period adds one and drops one
            when = local - back * source.period
            for code, station in enumerate(STATIONS, start=1):
                level = random.Random(f"{slug}:{station}:{when.isoformat()}").uniform(0.4, 3.2)  # noqa: S311
                rows.append([f"{code}-{when:%Y%m%d%H%M}", station, when.strftime("%d/%m/%Y %H:%M"), f"{level:.2f}"])
        return ["lectura", "estacion", "fecha_hora", "nivel_m"], rows
    if source.name == "parqueaderos":
        rows = []
        for code, name in enumerate(PARKINGS, start=1):
            capacity = 40 + code * 15
            taken = rng.randint(capacity // 5, capacity)
            rows.append(
                [code, f"Parqueadero {name}", capacity, taken, capacity - taken, local.strftime("%d/%m/%Y %H:%M")]
            )
        return ["codigo", "parqueadero", "plazas", "ocupadas", "libres", "actualizado"], rows
    rows = []
    for code, (product, unit, base) in enumerate(PRODUCTS, start=1):
        if rng.random() < 0.15:
            continue  # not offered today
        rows.append([code, product, unit, f"{base * rng.uniform(0.85, 1.2):.2f}", local.strftime("%d/%m/%Y")])
    return ["codigo", "producto", "unidad", "precio_usd", "fecha"], rows


@dataclass
class DemoDocument:
    body: bytes
    etag: str
    last_modified: str
    updated: dt.datetime


def document(government, name: str, *, now: dt.datetime | None = None) -> DemoDocument | None:
    source = BY_NAME.get(name)
    if source is None:
        return None
    at = _bucket(source, now or timezone.now())
    header, rows = _rows(source, government.slug, at)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    body = out.getvalue().encode("utf-8")
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    return DemoDocument(body, etag, format_datetime(at, usegmt=True), at)


def source_url(government, name: str) -> str:
    return f"{settings.DEMO_BASE_URL.rstrip('/')}/g/{government.slug}/datos/fuentes-demo/{name}.csv"


def seed(government, themes: dict, *, now: dt.datetime) -> int:
    """The demo's remote sources (once each) with a first version loaded inline, so the demo
    works before any worker runs; later versions come from the scheduled checks."""
    existing = set(Dataset.objects.filter(government=government).values_list("slug", flat=True))
    created = 0
    for source in SOURCES:
        slug = f"fuente-{source.name}"
        title = government_title(source.title, government)
        if slug not in existing:
            dataset = services.dataset_create(
                actor=None,
                government=government,
                title=title,
                slug=slug,
                summary=source.summary,
                description=(
                    "Datos generados para la demostración: no son cifras oficiales. Minga los obtiene de su "
                    "fuente automáticamente y publica una versión nueva cada vez que cambian."
                ),
                publisher=source.publisher,
                publisher_unit=publishers.unit_keys_by_name(government).get(source.publisher.casefold(), ""),
                themes=[themes[source.theme]] if source.theme in themes else [],
                tags=["tiempo real", "fuente automática"],
                frequency=source.frequency,
                spatial_coverage=[government.dpa_code],
                is_published=True,
                now=now,
            )
            services.resource_add(
                actor=None,
                government=government,
                dataset=dataset,
                title=f"{title} (CSV)",
                description="Se actualiza automáticamente desde la fuente.",
                kind=Resource.Kind.URL,
                url=source_url(government, source.name),
                auto_refresh=True,
                refresh_cron=source.cron,
                now=now,
            )
            created += 1
        resource = Resource.objects.filter(government=government, dataset__slug=slug, kind=Resource.Kind.URL).first()
        loaded = ResourceLoad.objects.filter(government=government, resource=resource, status="succeeded").exists()
        if resource is not None and not loaded:
            doc = document(government, source.name, now=now)
            data = sources.SourceData(
                original=io.BytesIO(doc.body),
                original_name="datos.csv",
                table=io.BytesIO(doc.body),
                table_name="datos.csv",
                size=len(doc.body),
                sha256=hashlib.sha256(doc.body).hexdigest(),
            )
            refresh.load_source_data(government=government, resource=resource, data=data, now=now)
    return created
