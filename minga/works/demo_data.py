"""Fixed material of the works demo: what kinds of work a prefecture and a municipality build,
what each kind costs and serves, and the communities of each canton of Manabí the titles name."""

from __future__ import annotations

from dataclasses import dataclass

from .models import Sector


@dataclass(frozen=True)
class WorkKind:
    sector: str
    shape: str  # "point", "line" or "area"
    title: str  # {a}: a community (a parish for a canton); {b}: the canton
    sdg_targets: tuple[str, ...]
    objective: int  # index into the level's PDOT objectives
    cost: tuple[int, int]  # planned amount, thousands of USD
    people: tuple[int, int]  # beneficiaries
    size: tuple[float, float] = (0.0, 0.0)  # length of a line or radius of an area, degrees


PROVINCE_KINDS = (
    WorkKind(
        Sector.ROADS,
        "line",
        "Asfaltado de la vía {a}–{b}",
        ("9.1", "11.2"),
        0,
        (900, 6500),
        (3000, 30000),
        (0.06, 0.16),
    ),
    WorkKind(
        Sector.ROADS,
        "line",
        "Lastrado y drenaje del camino vecinal de {a}",
        ("9.1",),
        0,
        (80, 650),
        (300, 4000),
        (0.03, 0.08),
    ),
    WorkKind(Sector.ROADS, "point", "Puente sobre el estero de {a}", ("9.1",), 0, (180, 1800), (800, 9000)),
    WorkKind(
        Sector.IRRIGATION, "line", "Canal de riego de {a}", ("2.4", "6.4"), 1, (300, 2600), (250, 3500), (0.03, 0.09)
    ),
    WorkKind(Sector.IRRIGATION, "point", "Albarrada comunitaria de {a}", ("2.4", "6.4"), 1, (25, 180), (80, 1200)),
    WorkKind(
        Sector.ENVIRONMENT,
        "area",
        "Reforestación de la microcuenca de {a}",
        ("15.1", "13.1"),
        2,
        (60, 420),
        (200, 3000),
        (0.012, 0.03),
    ),
    WorkKind(
        Sector.ENVIRONMENT,
        "line",
        "Muro de protección del río en {a}",
        ("11.5", "13.1"),
        2,
        (250, 1600),
        (600, 7000),
        (0.006, 0.018),
    ),
    WorkKind(Sector.PRODUCTION, "point", "Centro de acopio de cacao en {a}", ("8.3", "2.3"), 3, (90, 600), (150, 1800)),
    WorkKind(
        Sector.PRODUCTION,
        "area",
        "Mirador y sendero turístico de {a}",
        ("8.9",),
        3,
        (40, 350),
        (500, 9000),
        (0.003, 0.008),
    ),
    WorkKind(Sector.SOCIAL, "point", "Centro de atención al adulto mayor de {a}", ("10.2",), 4, (150, 900), (120, 800)),
)
CANTON_KINDS = (
    WorkKind(
        Sector.WATER, "line", "Red de agua potable de {a}", ("6.1",), 0, (250, 2500), (1500, 14000), (0.006, 0.018)
    ),
    WorkKind(
        Sector.WATER, "line", "Alcantarillado sanitario de {a}", ("6.2",), 0, (450, 4200), (1500, 16000), (0.006, 0.018)
    ),
    WorkKind(
        Sector.ROADS,
        "line",
        "Regeneración de la calle principal de {a}",
        ("11.2",),
        1,
        (150, 1500),
        (2000, 20000),
        (0.004, 0.01),
    ),
    WorkKind(
        Sector.PUBLIC_SPACE, "area", "Parque barrial de {a}", ("11.7",), 1, (60, 450), (800, 7000), (0.0008, 0.0016)
    ),
    WorkKind(
        Sector.ENVIRONMENT, "line", "Drenaje pluvial de {a}", ("11.5",), 2, (150, 1800), (1000, 10000), (0.005, 0.014)
    ),
    WorkKind(
        Sector.EDUCATION, "point", "Unidad educativa de {a}: aulas y cubierta", ("4.a",), 3, (200, 1500), (300, 2200)
    ),
    WorkKind(Sector.HEALTH, "point", "Centro de salud de {a}", ("3.8",), 3, (300, 1800), (3000, 20000)),
    WorkKind(
        Sector.SOCIAL, "area", "Complejo deportivo de {a}", ("11.7",), 3, (250, 1500), (2000, 15000), (0.001, 0.0025)
    ),
)
# Communities of each canton (parish seats and rural sites) that name the province's works.
COMMUNITIES = {
    "1301": ("San Plácido", "Alhajuela", "Riochico", "Abdón Calderón", "Chirijos", "Crucita"),
    "1302": ("Quiroga", "Membrillo"),
    "1303": ("Canuto", "Ricaurte", "Convento", "Boyacá", "San Antonio", "Chibunga"),
    "1304": ("San Pedro de Suma", "Wilfrido Loor Moreira"),
    "1305": ("Zapallo", "San Francisco de Novillo"),
    "1306": ("Membrillal", "El Anegado", "Quimis", "Sancán", "Julcuy", "Pedro Pablo Gómez", "La América"),
    "1307": ("La Palma", "El Limón"),
    "1308": ("San Lorenzo", "Santa Marianita", "San Mateo"),
    "1309": ("La Pila", "Leonidas Proaño"),
    "1310": ("Cascol", "Guale", "Lascano", "Campozano"),
    "1311": ("Barraganete", "San Sebastián"),
    "1312": ("Las Cañas", "El Guayabo"),
    "1313": ("Honorato Vásquez", "Ayacucho", "La Unión", "Lodana"),
    "1314": ("Charapotó", "San Isidro", "Leonidas Plaza"),
    "1315": ("Bachillero", "Ángel Pedro Giler"),
    "1316": ("Bellavista", "Noboa", "Sixto Durán Ballén"),
    "1317": ("Cojimíes", "10 de Agosto", "Atahualpa"),
    "1318": ("El Mamey", "La Fortuna"),
    "1319": ("Machalilla", "Salango"),
    "1320": ("El Matal", "La Palmita"),
    "1321": ("La Gloria", "Santa Rosa"),
    "1322": ("Canoa", "Briceño"),
}
# The town a canton's roads lead to, where it is not named like the canton.
SEATS = {"1302": "Calceta", "1314": "Bahía de Caráquez", "1316": "Sucre"}
PROVINCE_OBJECTIVES = [
    "OE1 Conectividad vial rural para la producción",
    "OE2 Agua para riego y seguridad alimentaria",
    "OE3 Conservación de cuencas y gestión de riesgos",
    "OE4 Fomento productivo y turismo",
    "OE5 Inclusión social y atención a grupos prioritarios",
]
CANTON_OBJECTIVES = [
    "OE1 Agua potable y saneamiento para todos los barrios",
    "OE2 Movilidad segura y espacio público",
    "OE3 Ciudad resiliente ante inundaciones",
    "OE4 Equipamiento comunitario y deporte",
]
# Contractors, by the trade their name promises (a water consortium does not build bridges).
BUILDERS = ["Constructora Manabita S.A.", "Ingeniería y Obras Loor Cía. Ltda.", "Construcciones Cedeño & Asociados"]
CONTRACTORS = {
    Sector.ROADS: ["Consorcio Vial del Pacífico", "Constructora Manabita S.A.", "Ingeniería y Obras Loor Cía. Ltda."],
    Sector.IRRIGATION: ["Hidroriego del Litoral S.A.", "Ingeniería y Obras Loor Cía. Ltda."],
    Sector.WATER: ["Consorcio Agua Limpia", "Hidroriego del Litoral S.A."],
}
# The unit that runs each sector's works.
UNITS = {
    Sector.ROADS: "Dirección de Obras Públicas",
    Sector.IRRIGATION: "Dirección de Riego y Drenaje",
    Sector.ENVIRONMENT: "Dirección de Gestión Ambiental",
    Sector.PRODUCTION: "Dirección de Fomento Productivo",
    Sector.SOCIAL: "Dirección de Desarrollo Social",
    Sector.WATER: "Dirección de Agua Potable y Alcantarillado",
    Sector.PUBLIC_SPACE: "Dirección de Obras Públicas",
    Sector.EDUCATION: "Dirección de Obras Públicas",
    Sector.HEALTH: "Dirección de Obras Públicas",
}
COMMENTS = [
    (
        "comment",
        "¿Cuándo se termina? Los vecinos esperamos desde hace meses.",
        "La fecha prevista de entrega está en la ficha; el contratista presentó un cronograma actualizado que publicaremos con el próximo avance.",
    ),
    (
        "observation",
        "Hoy no había trabajadores en la obra y el material está a la intemperie.",
        "Gracias por el aviso. La fiscalización visitó el sitio y notificó al contratista; el frente de trabajo se reanudó el lunes.",
    ),
    ("comment", "Muy buena obra, ya se nota la diferencia en invierno.", ""),
    (
        "observation",
        "La señalización de desvío no se ve de noche.",
        "Se solicitó al contratista colocar señalización reflectiva, según las especificaciones del contrato.",
    ),
]
