"""Demonstration budgets: last year with its twelve monthly cut-offs and this year up to last
month, about 2,000 lines each (income and expense), for the government's level. The figures
come from a random generator seeded with the government's slug and the year; every cut-off is
written as a cédula table and goes through the same checks and publication as an official's
import. Cut-offs already published are left alone, so running the seed again adds nothing."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

from . import cedula, services
from .models import CutOff

EXPENSE_LINES = 1700
INCOME_LINES = 300
CENT = Decimal("0.01")

HEADERS = [
    "CÓDIGO",
    "NOMBRE",
    "PROGRAMA",
    "NOMBRE PROGRAMA",
    "PROYECTO",
    "NOMBRE PROYECTO",
    "UNIDAD EJECUTORA",
    "FUENTE",
    "NOMBRE FUENTE",
    "DPA",
    "UBICACIÓN",
    "ASIGNACIÓN INICIAL (a)",
    "REFORMAS (b)",
    "CODIFICADO (c=a+b)",
    "CERTIFICADO (d)",
    "COMPROMETIDO (e)",
    "DEVENGADO (f)",
    "PAGADO (g)",
]

CURRENT_ITEMS = [
    ("510105", "Remuneraciones unificadas"),
    ("510106", "Salarios unificados"),
    ("510203", "Décimo tercer sueldo"),
    ("510204", "Décimo cuarto sueldo"),
    ("510510", "Servicios personales por contrato"),
    ("510601", "Aporte patronal"),
    ("510602", "Fondo de reserva"),
    ("530101", "Agua potable"),
    ("530104", "Energía eléctrica"),
    ("530105", "Telecomunicaciones"),
    ("530204", "Edición, impresión, reproducción y publicaciones"),
    ("530601", "Consultoría, asesoría e investigación especializada"),
    ("530803", "Combustibles y lubricantes"),
    ("530804", "Materiales de oficina"),
    ("530813", "Repuestos y accesorios"),
    ("560201", "Intereses de la deuda pública interna"),
    ("570201", "Seguros"),
    ("580204", "Transferencias corrientes a entidades del sector público"),
]
INVESTMENT_ITEMS = [
    ("710105", "Remuneraciones unificadas (inversión)"),
    ("710106", "Salarios unificados (inversión)"),
    ("710203", "Décimo tercer sueldo (inversión)"),
    ("710204", "Décimo cuarto sueldo (inversión)"),
    ("710510", "Servicios personales por contrato (inversión)"),
    ("710601", "Aporte patronal (inversión)"),
    ("730201", "Transporte de personal"),
    ("730402", "Mantenimiento de edificios, locales y residencias"),
    ("730404", "Mantenimiento de maquinarias y equipos"),
    ("730601", "Consultoría, asesoría e investigación especializada"),
    ("730605", "Estudios y diseño de proyectos"),
    ("730803", "Combustibles y lubricantes"),
    ("730811", "Insumos, bienes, materiales y suministros para la construcción"),
    ("730813", "Repuestos y accesorios"),
    ("750101", "Obras de agua potable"),
    ("750103", "Obras de alcantarillado"),
    ("750104", "Obras de urbanización y embellecimiento"),
    ("750105", "Obras de transporte y vías"),
    ("750107", "Construcciones y edificaciones"),
    ("750501", "Mantenimiento y reparación de obras de transporte y vías"),
    ("780204", "Transferencias para inversión a gobiernos autónomos descentralizados"),
    ("840104", "Maquinarias y equipos"),
    ("840105", "Vehículos"),
    ("840107", "Equipos, sistemas y paquetes informáticos"),
]
DEBT_ITEMS = [
    ("960201", "Amortización de la deuda pública interna"),
    ("970101", "Pasivo circulante de cuentas por pagar"),
]
INCOME_ITEMS = [
    ("110201", "Impuesto a los predios urbanos"),
    ("110202", "Impuesto a los predios rústicos"),
    ("110204", "Impuesto de alcabalas"),
    ("110207", "Impuesto de patentes comerciales, industriales y de servicios"),
    ("130108", "Prestación de servicios"),
    ("130112", "Permisos, licencias y patentes"),
    ("130199", "Otras tasas"),
    ("140203", "Venta de agua potable"),
    ("170201", "Arrendamiento de edificios, locales y residencias"),
    ("170402", "Multas por infracción a ordenanzas"),
    ("180101", "Transferencias corrientes del Presupuesto General del Estado"),
    ("190499", "Otros ingresos no especificados"),
    ("280101", "Transferencias de capital del Presupuesto General del Estado"),
    ("280102", "Transferencias de capital de entidades descentralizadas"),
    ("280301", "Donaciones de capital del sector privado"),
    ("360201", "Créditos del Banco de Desarrollo del Ecuador"),
    ("370102", "Saldos de caja y bancos de fondos de autogestión"),
    ("380101", "Cuentas pendientes por cobrar de años anteriores"),
]

FUNDING = [
    ("001", "Recursos fiscales propios"),
    ("002", "Transferencias del Gobierno Central (modelo de equidad)"),
    ("003", "Préstamo del Banco de Desarrollo del Ecuador"),
    ("202", "Cooperación internacional no reembolsable"),
]

PROVINCE_PROGRAMMES = [
    ("1", "Administración general", "Dirección Administrativa"),
    ("2", "Vialidad rural", "Dirección de Obras Públicas"),
    ("3", "Riego y drenaje", "Dirección de Riego y Drenaje"),
    ("4", "Fomento productivo", "Dirección de Fomento Productivo"),
    ("5", "Gestión ambiental", "Dirección de Gestión Ambiental"),
    ("6", "Cooperación internacional", "Dirección de Cooperación Internacional"),
    ("7", "Protección de derechos", "Dirección de Desarrollo Humano"),
]
CANTON_PROGRAMMES = [
    ("1", "Administración general", "Dirección Administrativa"),
    ("2", "Agua potable y saneamiento", "Empresa de Agua Potable y Alcantarillado"),
    ("3", "Obras públicas", "Dirección de Obras Públicas"),
    ("4", "Movilidad, tránsito y transporte", "Dirección de Movilidad"),
    ("5", "Desarrollo social y cultura", "Dirección de Desarrollo Social"),
    ("6", "Ambiente y espacio público", "Dirección de Ambiente"),
    ("7", "Planificación territorial", "Dirección de Planificación"),
]
PROJECT_WORDS = [
    "Mejoramiento",
    "Construcción",
    "Mantenimiento",
    "Rehabilitación",
    "Ampliación",
    "Fortalecimiento",
    "Implementación",
]
PROJECT_OBJECTS = {
    "1": [
        "de la gestión administrativa",
        "del talento humano",
        "de los sistemas informáticos",
        "de la gestión financiera",
    ],
    "2": [
        "de vías rurales",
        "de puentes",
        "del sistema de agua potable",
        "de la red de alcantarillado",
        "de caminos vecinales",
    ],
    "3": ["de canales de riego", "de albarradas", "de sistemas de drenaje", "del riego parcelario", "de reservorios"],
    "4": [
        "de cadenas productivas",
        "de centros de acopio",
        "del turismo comunitario",
        "de mercados",
        "de la pesca artesanal",
    ],
    "5": [
        "de la reforestación de cuencas",
        "de la gestión de residuos",
        "de áreas protegidas",
        "de viveros",
        "de parques",
    ],
    "6": ["de la cooperación técnica", "de alianzas territoriales", "de proyectos binacionales"],
    "7": [
        "de centros de atención",
        "de la protección de derechos",
        "de espacios culturales",
        "de programas deportivos",
    ],
}
MANABI_CANTONS = [
    ("1301", "Portoviejo"),
    ("1302", "Bolívar"),
    ("1303", "Chone"),
    ("1304", "El Carmen"),
    ("1305", "Flavio Alfaro"),
    ("1306", "Jipijapa"),
    ("1307", "Junín"),
    ("1308", "Manta"),
    ("1309", "Montecristi"),
    ("1310", "Paján"),
    ("1311", "Pichincha"),
    ("1312", "Rocafuerte"),
    ("1313", "Santa Ana"),
    ("1314", "Sucre"),
    ("1315", "Tosagua"),
    ("1316", "24 de Mayo"),
    ("1317", "Pedernales"),
    ("1318", "Olmedo"),
    ("1319", "Puerto López"),
    ("1320", "Jama"),
    ("1321", "Jaramijó"),
    ("1322", "San Vicente"),
]
SIZE = {"province": Decimal("140000000"), "canton": Decimal("85000000"), "parish": Decimal("900000")}


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _text(amount: Decimal | None) -> str:
    """Spanish-locale amounts, as the exports of GAD systems print them."""
    if amount is None:
        return ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{'-' if amount < 0 else ''}{grouped},{cents}"


def _line_specs(government, year: int) -> list[dict]:
    """The year's lines with their classification and yearly behaviour (share of the budget,
    how fast it executes, its reform)."""
    rng = random.Random(f"budget-{government.slug}-{year}")
    programmes = PROVINCE_PROGRAMMES if government.level == "province" else CANTON_PROGRAMMES
    places = (
        MANABI_CANTONS
        if government.level == "province"
        else [(government.dpa_code, name) for name in ("Parroquia urbana", "Parroquias rurales", "Todo el cantón")]
    )
    specs: list[dict] = []
    seen: set[str] = set()
    while sum(1 for s in specs if s["side"] == "expense") < EXPENSE_LINES:
        code, name, unit = rng.choice(programmes)
        project = rng.randint(1, 12)
        obj = PROJECT_OBJECTS.get(code, PROJECT_OBJECTS["1"])[project % len(PROJECT_OBJECTS.get(code, ["x"]))]
        project_name = f"{PROJECT_WORDS[project % len(PROJECT_WORDS)]} {obj}"
        pool = CURRENT_ITEMS if code == "1" else INVESTMENT_ITEMS
        item, item_name = rng.choice(pool if rng.random() > 0.03 else DEBT_ITEMS)
        funding = rng.choice(FUNDING[:2]) if rng.random() < 0.85 else rng.choice(FUNDING[2:])
        place = rng.choice(places) if item[0] == "7" and rng.random() < 0.8 else ("", "")
        partida = f"{code}.{project:02d}.{item}.{funding[0]}"
        if place[0] and government.level == "province":
            partida += f".{place[0]}"
        elif place[1]:
            partida += f".{places.index(place) + 1:02d}"
        if partida in seen:
            continue
        seen.add(partida)
        weight = rng.lognormvariate(0, 1.1) * (2.5 if item[:2] in ("75", "51") else 1)
        specs.append(
            {
                "partida": partida,
                "description": item_name,
                "side": "expense",
                "programme": (code, name),
                "project": (f"{code}.{project:02d}", project_name),
                "unit": unit,
                "funding": funding,
                "place": place if government.level == "province" else ("", place[1]),
                "weight": weight,
                "speed": rng.uniform(0.45, 1.0) if item[0] == "7" else rng.uniform(0.85, 1.0),
                "shape": rng.uniform(0.8, 1.8) if item[0] == "7" else 1.0,
                "reform": rng.choice([0, 0, 0, rng.uniform(-0.2, 0.35)]),
                "reform_month": rng.randint(2, 10),
            }
        )
    counter = 0
    while sum(1 for s in specs if s["side"] == "income") < INCOME_LINES:
        counter += 1
        item, item_name = INCOME_ITEMS[counter % len(INCOME_ITEMS)]
        sub = counter // len(INCOME_ITEMS) + 1
        specs.append(
            {
                "partida": f"{item}.{sub:02d}",
                "description": item_name if sub == 1 else f"{item_name} ({sub})",
                "side": "income",
                "programme": ("", ""),
                "project": ("", ""),
                "unit": "Dirección Financiera",
                "funding": FUNDING[0] if item[:2] in ("11", "13", "14", "17", "19") else FUNDING[1],
                "place": ("", ""),
                "weight": rng.lognormvariate(0, 1.0) * (8 if item[:2] in ("18", "28", "37") else 1),
                "speed": rng.uniform(0.8, 1.08),
                "shape": rng.uniform(0.9, 1.3),
                "reform": rng.choice([0, 0, rng.uniform(-0.1, 0.25)]),
                "reform_month": rng.randint(2, 10),
            }
        )
    return specs


def _budget_total(government, year: int) -> Decimal:
    """What the council approved for the year: the level's size, a little different for each
    government and year, to the cent (no real budget is a round figure)."""
    rng = random.Random(f"budget-total-{government.slug}-{year}")  # noqa: S311 - demo data
    return _money(SIZE.get(government.level, SIZE["canton"]) * Decimal(str(round(rng.uniform(0.93, 1.07), 7))))


def _scale(specs: list[dict], total: Decimal) -> None:
    """Share the total among each side's lines by weight. Income and expense add up to the
    same figure, as the law requires of an approved budget: the cents rounding leaves over go
    to each side's largest line."""
    for side in ("expense", "income"):
        mine = [s for s in specs if s["side"] == side]
        if not mine:
            continue
        whole = sum(s["weight"] for s in mine)
        for spec in mine:
            spec["asignado"] = _money(total * Decimal(spec["weight"] / whole))
        largest = max(mine, key=lambda s: s["asignado"])
        largest["asignado"] += total - sum(s["asignado"] for s in mine)


def _row(spec: dict, month: int) -> list[str]:
    asignado = spec["asignado"]
    reformas = _money(asignado * Decimal(spec["reform"])) if month >= spec["reform_month"] else Decimal("0.00")
    codificado = asignado + reformas
    progress = min(1.0, (month / 12) ** spec["shape"] * spec["speed"])
    if spec["side"] == "income":
        devengado = _money(codificado * Decimal(min(1.08, (month / 12) ** spec["shape"] * spec["speed"])))
        pagado = _money(devengado * Decimal("0.97"))
        certificado = comprometido = None
    else:
        devengado = _money(codificado * Decimal(progress))
        comprometido = max(devengado, _money(codificado * Decimal(min(1.0, progress * 1.3 + 0.05))))
        certificado = max(comprometido, _money(codificado * Decimal(min(1.0, progress * 1.45 + 0.1))))
        pagado = _money(devengado * Decimal(0.93 if month < 12 else 0.99))
    place_code, place_name = spec["place"]
    return [
        spec["partida"],
        spec["description"],
        spec["programme"][0],
        spec["programme"][1],
        spec["project"][0],
        spec["project"][1],
        spec["unit"],
        spec["funding"][0],
        spec["funding"][1],
        place_code,
        place_name,
        _text(asignado),
        _text(reformas),
        _text(codificado),
        _text(certificado),
        _text(comprometido),
        _text(devengado),
        _text(pagado),
    ]


def demo_years(now) -> list[tuple[int, list[int]]]:
    current_months = list(range(1, max(1, now.month - 1) + 1))
    return [(now.year - 1, list(range(1, 13))), (now.year, current_months)]


def seed(government, *, now, stdout) -> None:
    published = set(CutOff.objects.filter(government=government).published().values_list("budget_year__year", "month"))
    classifier = services.classifier_for_checks(government)
    added = 0
    for year, months in demo_years(now):
        if all((year, month) in published for month in months):
            continue
        specs = _line_specs(government, year)
        _scale(specs, _budget_total(government, year))
        mapping = cedula.detect_mapping(HEADERS)
        for month in months:
            if (year, month) in published:
                continue
            rows = [_row(spec, month) for spec in specs]
            result = cedula.check_rows(HEADERS, rows, mapping=mapping, scope="both", classifier=classifier)
            if result.errors:
                raise RuntimeError(f"demo budget {year}-{month:02d} fails its checks: {result.errors[:3]}")
            services.publish_lines(
                actor=None,
                government=government,
                year=year,
                month=month,
                scope="both",
                lines=result.lines,
                headings=result.headings,
                source={"demo": True},
                now=now,
            )
            added += 1
    if added:
        stdout.write(f"  budget: {added} cut-offs published for {government.short_name}\n")
