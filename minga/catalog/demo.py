"""Demonstration content: a theme vocabulary, 30+ datasets on what a local government really
publishes (budget execution, public works, procurement, road accidents by canton, tourism
arrivals, water quality by parish, waste collection, procedures…) with small CSV files
generated here, several of them the way Ecuadorian offices export them (`;` as delimiter,
decimal comma, dd/mm/yyyy dates, latin-1), and a few citizens' data requests with supports.

Everything comes from a random generator seeded with the government's slug and every record
has a stable identifier, so running the seed again creates nothing new. Files go through the
services and so through the storage API."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from minga.core.accounts.models import User
from minga.core.tenancy import demo_territory as territory

from . import demo_previews, demo_sources
from .datasets import publishers, services
from .datasets.models import Dataset, Resource, Theme
from .quality import freshness
from .quality import scores as quality
from .requests import services as request_services
from .requests.models import DataRequest
from .tables import services as table_services
from .tables.models import ResourceLoad
from .usage import services as usage

# (slug, name, DCAT-AP theme, description)
THEMES = [
    ("presupuesto", "Presupuesto y finanzas", "ECON", "Ingresos, gastos y ejecución del presupuesto."),
    ("obras", "Obras públicas", "REGI", "Proyectos de infraestructura, avance y contratos."),
    ("contratacion", "Contratación pública", "GOVE", "Procesos de compra y sus proveedores."),
    ("movilidad", "Movilidad y vialidad", "TRAN", "Tránsito, siniestros y red vial."),
    ("turismo", "Turismo", "ECON", "Llegadas de visitantes y oferta turística."),
    ("ambiente", "Ambiente y agua", "ENVI", "Calidad del agua, residuos y áreas protegidas."),
    ("gestion", "Gestión institucional", "GOVE", "Trámites, servicios y atención a la ciudadanía."),
    ("sociedad", "Población y sociedad", "SOCI", "Población, grupos prioritarios y participación."),
    ("salud", "Salud", "HEAL", "Establecimientos y atención de salud."),
    ("produccion", "Producción y agricultura", "AGRI", "Producción agropecuaria y riego."),
    ("educacion", "Educación y cultura", "EDUC", "Centros educativos, bibliotecas y cultura."),
    ("energia", "Energía", "ENER", "Alumbrado público y consumo energético."),
    ("tecnologia", "Tecnología", "TECH", "Conectividad y servicios digitales."),
    ("seguridad", "Seguridad y justicia", "JUST", "Denuncias, seguridad ciudadana."),
    ("cooperacion", "Cooperación internacional", "INTR", "Convenios y fondos de cooperación."),
]

CANTONS = ["Portoviejo", "Manta", "Chone", "Jipijapa", "Montecristi", "El Carmen", "Sucre", "Rocafuerte"]
# Parishes of Portoviejo, as the demo territory draws them (the wifi points lie inside them).
PARISHES = ["Abdón Calderón", "Alhajuela", "Chirijos", "Colón", "Picoazá", "Riochico", "San Plácido"]
WIFI_PLACES = ["Parque central", "Casa comunal", "Plaza cívica", "Cancha cubierta", "Biblioteca"]
YEARS = (2023, 2024, 2025)
SPANISH_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio"]


@dataclass(frozen=True)
class Places:
    """The places a government's demo tables speak of: a province's figures go by canton, a
    canton's by its own parishes (never by the province's other cantons)."""

    areas: tuple[str, ...] = tuple(CANTONS)  # the rows of a "by area" table
    area_word: str = "cantón"  # the column and the title: "por cantón" / "por parroquia"
    parishes: tuple[str, ...] = tuple(PARISHES)
    canton_code: str = "1301"  # whose parish areas the wifi points lie in


def places_of(government) -> Places:
    own = territory.PARISHES.get(government.dpa_code) if government.level == "canton" else None
    if not own:
        return Places()
    names = tuple(name for _code, name, _urban, _point in own)
    return Places(areas=names, area_word="parroquia", parishes=names, canton_code=government.dpa_code)


@dataclass(frozen=True)
class Quirks:
    """How a generated CSV is written (the Excel-in-Spanish way or the plain way), and the
    places its rows name."""

    spanish: bool = False  # ';' delimiter, decimal comma, thousands dot, dd/mm/yyyy
    latin1: bool = False
    places: Places = Places()

    def number(self, value: float, decimals: int = 2) -> str:
        text = f"{value:,.{decimals}f}"
        if not self.spanish:
            return text.replace(",", "")
        return text.replace(",", "_").replace(".", ",").replace("_", ".")

    def date(self, day: dt.date) -> str:
        return day.strftime("%d/%m/%Y") if self.spanish else day.isoformat()

    def csv(self, header: list[str], rows: list[list]) -> bytes:
        sep = ";" if self.spanish else ","
        lines = [sep.join(header)]
        for row in rows:
            cells = [str(cell) for cell in row]
            lines.append(sep.join(f'"{c}"' if sep in c or '"' in c else c for c in cells))
        text = "\r\n".join(lines) + "\r\n"
        return text.encode("latin-1" if self.latin1 else "utf-8")


# Generators: (rng, year, quirks) -> (header, rows)


def _budget(rng, year, q):
    items = [
        ("5.1", "Gastos en personal"),
        ("5.3", "Bienes y servicios de consumo"),
        ("7.5", "Obras públicas"),
        ("7.8", "Transferencias para inversión"),
        ("8.4", "Bienes de larga duración"),
    ]
    rows = []
    for code, name in items:
        coded = rng.randint(800_000, 9_000_000) + rng.random()
        accrued = coded * rng.uniform(0.45, 0.97)
        rows.append([code, name, q.number(coded), q.number(accrued), q.number(accrued / coded * 100, 1)])
    return ["partida", "descripción", "codificado", "devengado", "porcentaje_ejecución"], rows


def _work_place(rng, kinds: list[str], q) -> list[str]:
    place = rng.choice(q.places.areas)
    return [f"{rng.choice(kinds)} en {place}", place]


def _wifi(rng, index: int, q) -> list[str]:
    """A public place with free wifi, inside the parish it names."""
    parish = q.places.parishes[index % len(q.places.parishes)]
    areas = {name: area for name, _urban, area in territory.parish_areas(q.places.canton_code).values()}
    point = territory.point_inside(rng, areas[parish])
    return [f"{rng.choice(WIFI_PLACES)} de {parish}", parish, f"{point.y:.5f}", f"{point.x:.5f}"]


def _works(rng, year, q):
    kinds = ["Asfaltado de vía", "Puente peatonal", "Sistema de agua potable", "Alcantarillado", "Mercado municipal"]
    rows = []
    for number in range(1, 11):
        start = dt.date(year, rng.randint(1, 9), rng.randint(1, 28))
        rows.append(
            [
                f"OB-{year}-{number:03d}",
                *_work_place(rng, kinds, q),
                q.number(rng.randint(40_000, 1_500_000)),
                q.date(start),
                rng.randint(0, 100),
            ]
        )
    return ["código", "obra", q.places.area_word, "monto_usd", "fecha_inicio", "avance_pct"], rows


def _procurement(rng, year, q):
    kinds = ["Subasta inversa electrónica", "Menor cuantía", "Cotización", "Ínfima cuantía", "Licitación"]
    rows = []
    for number in range(1, 13):
        rows.append(
            [
                f"SIE-GP-{year}-{number:03d}",
                rng.choice(kinds),
                f"Adquisición de {rng.choice(['materiales pétreos', 'combustible', 'equipos informáticos', 'tubería PVC'])}",
                q.number(rng.randint(2_000, 400_000)),
                q.date(dt.date(year, rng.randint(1, 12), rng.randint(1, 28))),
                rng.choice(["Adjudicado", "En curso", "Desierto", "Finalizado"]),
            ]
        )
    return ["código_proceso", "tipo", "objeto", "presupuesto_referencial", "fecha_publicación", "estado"], rows


def _accidents(rng, year, q):
    rows = []
    for place in q.places.areas:
        crashes = rng.randint(20, 600)
        rows.append([place, year, crashes, rng.randint(0, crashes // 3), rng.randint(0, max(1, crashes // 25))])
    return [q.places.area_word, "año", "siniestros", "lesionados", "fallecidos"], rows


def _tourism(rng, year, q):
    rows = []
    for month_number, month in enumerate(SPANISH_MONTHS, start=1):
        for origin in ("Nacional", "Extranjero"):
            rows.append([q.date(dt.date(year, month_number, 1)), month, origin, rng.randint(1_000, 60_000)])
    return ["fecha", "mes", "procedencia", "llegadas"], rows


def _water(rng, year, q):
    rows = []
    for parish in q.places.parishes:
        for month in (3, 9):
            rows.append(
                [
                    parish,
                    q.date(dt.date(year, month, rng.randint(1, 28))),
                    q.number(rng.uniform(6.5, 8.5), 2),
                    q.number(rng.uniform(0.1, 4.5), 2),
                    rng.randint(0, 40),
                ]
            )
    return ["parroquia", "fecha_muestra", "ph", "turbidez_ntu", "coliformes_ufc"], rows


def _waste(rng, year, q):
    rows = []
    for route in ("Norte", "Sur", "Centro", "Rural"):
        for month in SPANISH_MONTHS:
            rows.append([route, month, q.number(rng.uniform(80, 900), 1), rng.randint(18, 31)])
    return ["ruta", "mes", "toneladas", "días_servicio"], rows


def _procedures(rng, year, q):
    names = [
        "Permiso de construcción",
        "Certificado de no adeudar",
        "Patente municipal",
        "Línea de fábrica",
        "Uso de suelo",
        "Registro de catastro",
    ]
    rows = [[name, rng.randint(1, 30), q.number(rng.uniform(0, 80)), rng.randint(50, 4000)] for name in names]
    return ["trámite", "días_hábiles", "costo_usd", "solicitudes_año"], rows


def _simple(columns: list[str], make_row: Callable) -> Callable:
    """A table of eight rows; a column named "{area}" is the government's area word."""

    def generate(rng, year, q):
        header = [column.format(area=q.places.area_word) for column in columns]
        return header, [make_row(rng, index, q) for index in range(8)]

    return generate


# (slug, title, summary, theme slugs, publisher, frequency, generator, tags, spanish, latin1)
YEARLY = [
    (
        "ejecucion-presupuestaria",
        "Ejecución presupuestaria {year}",
        "Cuánto se planificó gastar y cuánto se ha gastado en {year}, por partida.",
        ["presupuesto"],
        "Dirección Financiera",
        "MONTHLY",
        _budget,
        ["presupuesto", "gasto público", "LOTAIP"],
    ),
    (
        "obras-publicas",
        "Obras públicas {year}",
        "Obras contratadas en {year}: ubicación, monto y avance.",
        ["obras"],
        "Dirección de Obras Públicas",
        "QUARTERLY",
        _works,
        ["obras", "infraestructura"],
    ),
    (
        "procesos-contratacion",
        "Procesos de contratación {year}",
        "Compras públicas publicadas en {year} y su estado.",
        ["contratacion"],
        "Dirección Administrativa",
        "MONTHLY",
        _procurement,
        ["contratación", "compras públicas"],
    ),
    (
        "siniestros-transito",
        "Siniestros de tránsito por {area} {year}",
        "Accidentes de tránsito, lesionados y fallecidos por {area} en {year}.",
        ["movilidad", "seguridad"],
        "Dirección de Movilidad",
        "ANNUAL",
        _accidents,
        ["tránsito", "seguridad vial", "accidentes"],
    ),
    (
        "llegadas-turistas",
        "Llegadas de turistas {year}",
        "Visitantes nacionales y extranjeros por mes en {year}.",
        ["turismo"],
        "Dirección de Turismo",
        "MONTHLY",
        _tourism,
        ["turismo", "visitantes"],
    ),
    (
        "calidad-agua",
        "Calidad del agua por parroquia {year}",
        "Resultados de los muestreos de agua por parroquia en {year}: pH, turbidez y coliformes.",
        ["ambiente", "salud"],
        "Dirección de Gestión Ambiental",
        "ANNUAL_2",
        _water,
        ["agua", "calidad ambiental"],
    ),
    (
        "recoleccion-residuos",
        "Recolección de residuos sólidos {year}",
        "Toneladas de basura recogidas por ruta y mes en {year}.",
        ["ambiente"],
        "Dirección de Gestión Ambiental",
        "MONTHLY",
        _waste,
        ["residuos", "basura", "reciclaje"],
    ),
]

SINGLE = [
    (
        "tramites",
        "Trámites y servicios",
        "Los trámites que se hacen en la institución: cuánto tardan, cuánto cuestan y cuántas personas los piden.",
        ["gestion"],
        "Secretaría General",
        "ANNUAL",
        _procedures,
        ["trámites", "servicios"],
    ),
    (
        "red-vial",
        "Red vial rural",
        "Kilómetros de vías rurales por tipo de capa de rodadura y estado.",
        ["movilidad", "obras"],
        "Dirección de Vialidad",
        "ANNUAL",
        _simple(
            ["vía", "{area}", "km", "capa", "estado"],
            lambda rng, i, q: [
                f"Vía {i + 1}",
                rng.choice(q.places.areas),
                q.number(rng.uniform(2, 40), 1),
                rng.choice(["Asfalto", "Lastre", "Tierra"]),
                rng.choice(["Bueno", "Regular", "Malo"]),
            ],
        ),
        ["vialidad", "vías"],
    ),
    (
        "presupuesto-participativo",
        "Presupuesto participativo",
        "Proyectos priorizados por la ciudadanía en las asambleas y su financiamiento.",
        ["presupuesto", "sociedad"],
        "Dirección de Participación Ciudadana",
        "ANNUAL",
        _simple(
            ["proyecto", "parroquia", "votos", "monto_usd"],
            lambda rng, i, q: [
                f"Proyecto comunitario {i + 1}",
                rng.choice(q.places.parishes),
                rng.randint(40, 900),
                q.number(rng.randint(5_000, 120_000)),
            ],
        ),
        ["participación", "presupuesto participativo"],
    ),
    (
        "centros-educativos",
        "Centros educativos",
        "Escuelas y colegios por parroquia, con el número de estudiantes.",
        ["educacion"],
        "Dirección de Desarrollo Social",
        "ANNUAL",
        _simple(
            ["institución", "parroquia", "sostenimiento", "estudiantes"],
            lambda rng, i, q: [
                f"Unidad Educativa {i + 1}",
                rng.choice(q.places.parishes),
                rng.choice(["Fiscal", "Fiscomisional", "Particular"]),
                rng.randint(80, 1800),
            ],
        ),
        ["educación", "escuelas"],
    ),
    (
        "produccion-agricola",
        "Producción agrícola por {area}",
        "Superficie sembrada y producción de los principales cultivos.",
        ["produccion"],
        "Dirección de Fomento Productivo",
        "ANNUAL",
        _simple(
            ["{area}", "cultivo", "hectáreas", "toneladas"],
            lambda rng, i, q: [
                rng.choice(q.places.areas),
                rng.choice(["Maíz", "Cacao", "Café", "Plátano", "Arroz"]),
                q.number(rng.uniform(100, 9000), 1),
                q.number(rng.uniform(200, 40000), 1),
            ],
        ),
        ["agricultura", "producción"],
    ),
    (
        "puntos-wifi",
        "Puntos de wifi gratuito",
        "Dónde hay internet gratuito en espacios públicos.",
        ["tecnologia"],
        "Dirección de Tecnologías de la Información",
        "IRREG",
        _simple(
            ["lugar", "parroquia", "latitud", "longitud"],
            _wifi,
        ),
        ["conectividad", "internet"],
    ),
    (
        "denuncias-ciudadanas",
        "Denuncias ciudadanas recibidas",
        "Cuántas denuncias se recibieron por tema y cuántas se resolvieron.",
        ["seguridad", "gestion"],
        "Dirección de Transparencia",
        "QUARTERLY",
        _simple(
            ["tema", "recibidas", "resueltas"],
            lambda rng, i, q: [
                ["Obras", "Atención", "Ruido", "Ambiente", "Tránsito", "Servicios", "Catastro", "Otros"][i],
                rng.randint(5, 200),
                rng.randint(0, 5),
            ],
        ),
        ["denuncias", "transparencia"],
    ),
    (
        "alumbrado-publico",
        "Consumo de alumbrado público",
        "Energía consumida por el alumbrado público por mes.",
        ["energia"],
        "Dirección de Servicios Públicos",
        "MONTHLY",
        _simple(
            ["mes", "kwh", "costo_usd"],
            lambda rng, i, q: [
                SPANISH_MONTHS[i % 6],
                q.number(rng.randint(80_000, 300_000), 0),
                q.number(rng.uniform(8_000, 30_000)),
            ],
        ),
        ["energía", "alumbrado"],
    ),
    (
        "poblacion-parroquias",
        "Población por parroquia",
        "Habitantes por parroquia y sexo según el último censo.",
        ["sociedad"],
        "Dirección de Planificación",
        "NEVER",
        _simple(
            ["parroquia", "mujeres", "hombres"],
            lambda rng, i, q: [
                q.places.parishes[i % len(q.places.parishes)],
                rng.randint(2_000, 40_000),
                rng.randint(2_000, 40_000),
            ],
        ),
        ["población", "censo"],
    ),
    (
        "establecimientos-salud",
        "Establecimientos de salud",
        "Centros y subcentros de salud con su nivel de atención.",
        ["salud"],
        "Dirección de Desarrollo Social",
        "ANNUAL",
        _simple(
            ["establecimiento", "parroquia", "nivel"],
            lambda rng, i, q: [
                f"Centro de Salud {i + 1}",
                rng.choice(q.places.parishes),
                rng.choice(["Primer nivel", "Segundo nivel"]),
            ],
        ),
        ["salud", "centros de salud"],
    ),
    (
        "convenios-cooperacion",
        "Convenios de cooperación internacional",
        "Convenios firmados con organismos de cooperación y sus montos.",
        ["cooperacion"],
        "Dirección de Cooperación",
        "IRREG",
        _simple(
            ["convenio", "cooperante", "monto_usd", "fecha_firma"],
            lambda rng, i, q: [
                f"Convenio {i + 1}",
                rng.choice(["AECID", "GIZ", "KOICA", "PNUD", "BID"]),
                q.number(rng.randint(20_000, 900_000)),
                q.date(dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))),
            ],
        ),
        ["cooperación"],
    ),
]

REQUESTS = [
    (
        "Horarios y rutas del transporte público",
        "Quisiera conocer las rutas, frecuencias y paradas de los buses, en un formato que se pueda "
        "usar en aplicaciones de mapas.",
        4,
        None,
    ),
    (
        "Listado de becas otorgadas",
        "Cuántas becas se entregan por año, a qué carreras y con qué requisitos.",
        2,
        None,
    ),
    (
        "Accidentes de tránsito por cantón",
        "Necesito los siniestros de tránsito por cantón para un trabajo de la universidad.",
        3,
        "siniestros-transito-2025",
    ),
]


def seed(government, *, now: dt.datetime, stdout=None) -> None:
    """Create (once) the demo catalog of one government. Runs inside the government's scope."""
    rng = random.Random(f"catalog:{government.slug}")  # noqa: S311 - demo data, not security
    services.licences_ensure_defaults(actor=None, government=government)
    themes = _seed_themes(government)
    created = _seed_datasets(government, rng, themes, now=now)
    requests = _seed_requests(government, now=now)
    created += demo_sources.seed(government, themes, now=now)
    demo_previews.seed(government, now=now)
    _load_tables(government, now=now)
    _age_and_score(government, now=now)
    usage.seed_demo(government, now=now)
    if stdout is not None:
        stdout.write(f"  catalog · {government.slug}: {created} new datasets, {requests} new data requests")


# Datasets whose data the demo makes old, so the "out of date" mark, the freshness panel and
# the late notices have something to show: slug -> days since the data last changed.
STALE = {
    "procesos-contratacion-2025": 75,
    "calidad-agua-2025": 200,
    "denuncias-ciudadanas": 130,
    "alumbrado-publico": 36,
}


def _age_and_score(government, *, now: dt.datetime) -> None:
    """Age the STALE datasets (loading the files just now counted as an update), then
    compute every quality score without waiting for the daily job."""
    for dataset in Dataset.objects.filter(government=government, slug__in=list(STALE)):
        updated = now - dt.timedelta(days=STALE[dataset.slug])
        due = freshness.next_update_due(dataset.frequency, timezone.localtime(updated).date())
        Dataset.objects.for_government(government).filter(pk=dataset.pk).update(
            data_updated_at=updated, next_update_due=due
        )
    # Loading the files stamped each dataset with the moment its load ended, so the catalog
    # sorted "recently updated" by the order the demo ran in (the last canton's datasets
    # first, even on the province's page). Spread the stamps over the day instead: the
    # latest year's datasets before older years', a province's before its cantons'.
    offset = 0 if government.level == "province" else 180
    specs = list(_specs())  # (slug, ..., year): the latest year's datasets first
    ranked = sorted(range(len(specs)), key=lambda index: (-specs[index][-1], index))
    order = {specs[index][0]: rank for rank, index in enumerate(ranked)}
    for dataset in Dataset.objects.filter(government=government, slug__in=list(order)):
        stamp = now - dt.timedelta(minutes=offset + order[dataset.slug])
        Dataset.objects.for_government(government).filter(pk=dataset.pk).update(updated_at=stamp)
    _describe_columns(government, now=now)
    quality.refresh(government=government, now=now)


# Units whose tables the demo documents in the data dictionary, so the quality ranking has
# leaders and laggards.
DESCRIBED_UNITS = ("Dirección Financiera", "Dirección de Movilidad", "Dirección de Gestión Ambiental")


def _describe_columns(government, *, now: dt.datetime) -> None:
    loads = ResourceLoad.objects.filter(
        government=government,
        status=ResourceLoad.Status.SUCCEEDED,
        resource__dataset__publisher__in=DESCRIBED_UNITS,
    ).select_related("resource")
    latest = {}
    for load in loads.order_by("resource_id", "-pk"):
        latest.setdefault(load.resource_id, load)
    for load in latest.values():
        columns = (load.report or {}).get("columns") or []
        entries = {
            column["name"]: {
                "label": column.get("label") or column["name"],
                "description": f"{column.get('label') or column['name']}, según {load.resource.title}.",
            }
            for column in columns
        }
        if entries:
            services.column_dictionary_update(
                actor=None, government=government, resource=load.resource, entries=entries, now=now
            )


def _load_tables(government, *, now: dt.datetime) -> None:
    """Load the demo CSVs into the datastore inline (no worker needed), once each."""
    loaded = set(
        ResourceLoad.objects.filter(government=government, status=ResourceLoad.Status.SUCCEEDED).values_list(
            "resource_id", flat=True
        )
    )
    for resource in Resource.objects.filter(government=government).exclude(pk__in=loaded):
        if table_services.resource_is_tabular(resource):
            table_services.resource_load_run(government=government, resource=resource, now=now)


def _seed_themes(government) -> dict[str, Theme]:
    themes = {}
    for order, (slug, name, code, description) in enumerate(THEMES):
        theme = Theme.objects.filter(government=government, slug=slug).first()
        if theme is None:
            theme = services.theme_create(
                actor=None,
                government=government,
                name=name,
                slug=slug,
                dcat_theme=code,
                description=description,
                order=order,
            )
        themes[slug] = theme
    return themes


def _specs(places: Places = Places()):
    for slug, title, summary, theme_slugs, publisher, frequency, generator, tags in YEARLY:
        for year in YEARS:
            yield (
                f"{slug}-{year}",
                title.format(year=year, area=places.area_word),
                summary.format(year=year, area=places.area_word),
                theme_slugs,
                publisher,
                frequency if year == YEARS[-1] else "NEVER",
                generator,
                [*tags, str(year)],
                year,
            )
    for slug, title, summary, theme_slugs, publisher, frequency, generator, tags in SINGLE:
        title, summary = title.format(area=places.area_word), summary.format(area=places.area_word)
        yield slug, title, summary, theme_slugs, publisher, frequency, generator, tags, YEARS[-1]


def _seed_datasets(government, rng, themes, *, now: dt.datetime) -> int:
    existing = set(Dataset.objects.filter(government=government).values_list("slug", flat=True))
    email_domain = f"{government.slug}.demo.minga.ec"
    # The institution demo seeds first: datasets point at its units where the names match.
    unit_keys = publishers.unit_keys_by_name(government)
    created = 0
    places = places_of(government)
    for index, (slug, title, summary, theme_slugs, publisher, frequency, generator, tags, year) in enumerate(
        _specs(places)
    ):
        title = demo_sources.government_title(title, government)
        # Draw for every spec, created or not, so a re-run sees the same sequence.
        quirks = Quirks(spanish=index % 3 != 0, latin1=index % 4 == 1, places=places)
        header, rows = generator(rng, year, quirks)
        extra = generator(rng, year, Quirks(places=places)) if index % 5 == 0 else None
        if slug in existing:
            continue
        # Some of the current datasets were last updated long ago: they show as out of date.
        stamp = now - dt.timedelta(days=200) if index % 7 == 3 else now
        dataset = services.dataset_create(
            actor=None,
            government=government,
            title=title,
            slug=slug,
            summary=summary,
            description=(
                "Datos generados para la demostración: no son cifras oficiales. "
                f"Fuente: {publisher}, {government.name}."
            ),
            publisher=publisher,
            publisher_unit=unit_keys.get(publisher.casefold(), ""),
            publisher_email=f"{_mailbox(publisher)}@{email_domain}",
            contact_name=publisher,
            contact_email=f"datos@{email_domain}",
            themes=[themes[key] for key in theme_slugs],
            tags=tags,
            frequency=frequency,
            temporal_start=dt.date(year, 1, 1),
            temporal_end=dt.date(year, 12, 31),
            spatial_coverage=[government.dpa_code],
            lotaip_obligation="Art. 19, numeral 6: presupuesto" if "presupuesto" in theme_slugs else "",
            is_published=index % 11 != 10,  # a few drafts for the back office
            now=stamp,
        )
        services.resource_add(
            actor=None,
            government=government,
            dataset=dataset,
            title=f"{title} (CSV)",
            description=_describe(quirks),
            file=SimpleUploadedFile(f"{slug}.csv", quirks.csv(header, rows), content_type="text/csv"),
            now=stamp,
        )
        if extra is not None:
            services.resource_add(
                actor=None,
                government=government,
                dataset=dataset,
                title=f"{title} (CSV, formato internacional)",
                description="Separado por comas, punto decimal, fechas AAAA-MM-DD, UTF-8.",
                file=SimpleUploadedFile(f"{slug}-utf8.csv", Quirks().csv(*extra), content_type="text/csv"),
                order=1,
                now=stamp,
            )
        created += 1
    return created


def _mailbox(text: str) -> str:
    words = [w for w in text.lower().split() if w not in ("de", "del", "la", "y")]
    return "".join(word[:4] for word in words[1:3]).encode("ascii", "ignore").decode() or "datos"


def _describe(quirks: Quirks) -> str:
    if not quirks.spanish:
        return "Separado por comas, punto decimal, fechas AAAA-MM-DD."
    encoding = "latin-1" if quirks.latin1 else "UTF-8"
    return f"Exportado de Excel: separado por punto y coma, coma decimal, fechas DD/MM/AAAA, {encoding}."


def _citizen(government, number: int, now: dt.datetime) -> User:
    email = f"ciudadania{number}@{government.slug}.demo.minga.ec"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(
            email=email, full_name=f"Ciudadana de demostración {number}", date_joined=now, email_verified_at=now
        )
        user.set_unusable_password()
        user.save()
    return user


def _seed_requests(government, *, now: dt.datetime) -> int:
    created = 0
    existing = set(DataRequest.objects.filter(government=government).values_list("title", flat=True))
    for number, (title, description, supports, fulfilled_slug) in enumerate(REQUESTS):
        if title in existing:
            continue
        asked = now - dt.timedelta(days=30 - number * 7)
        data_request = request_services.request_create(
            actor=_citizen(government, number, now),
            government=government,
            title=title,
            description=description,
            now=asked,
        )
        for supporter in range(supports):
            request_services.request_support(
                actor=_citizen(government, 10 + supporter, now),
                government=government,
                data_request=data_request,
                now=asked,
            )
        dataset = Dataset.objects.filter(government=government, slug=fulfilled_slug).first() if fulfilled_slug else None
        if dataset is not None:
            request_services.request_answer(
                actor=None,
                government=government,
                data_request=data_request,
                status=DataRequest.Status.FULFILLED,
                answer="Publicamos los siniestros de tránsito por cantón; se actualizan cada año.",
                fulfilled_by=dataset,
                now=now,
                notify=False,  # the demo citizens' addresses are fictional
            )
        created += 1
    return created
