"""Deterministic demonstration OCDS data, shaped like SERCOP's: release packages with planning,
tender, award, contract and amendment releases, Ecuadorian procedure types, invented suppliers
and buyers (clearly marked as demonstration) and a few planted red-flag patterns. Used by the
demo seeds and the benchmarks; no real entity or person is named."""

from __future__ import annotations

import datetime as dt
import math
import random
import zlib
from collections.abc import Iterator
from decimal import Decimal
from itertools import accumulate

from .procedures import DEFAULT_PROCEDURES, WORKS_THRESHOLD_COEFFICIENTS, coefficients_by_procedure

PUBLISHER = {"name": "Demostración Minga (datos ficticios)"}
OCID_PREFIX = "ocds-5wno2w"
# The demonstration packages are published on this day: no release is dated after it (a process
# that would reach its award or contract later is still in progress).
PUBLISHED = dt.datetime(2026, 1, 5, 8)
# Illustrative PIE figures for the demonstration thresholds (replace them with the published
# Presupuesto Inicial del Estado in the back office).
DEMO_PIE = {2024: Decimal("35979000000.00"), 2025: Decimal("36830000000.00")}

# (code prefix in the OCID, procurementMethodDetails, procurementMethod, weight, procedure type
# (procedures.DEFAULT_PROCEDURES: its threshold is the upper limit), the procedure type whose
# limit is the lower one (a tier starts where the one below ends), the usual span of amounts where
# the law sets no limit, and the kind of object it buys). Amounts are drawn inside all three.
PROCEDURES = (
    ("IC", "Ínfima Cuantía", "direct", 45, "infima-cuantia", None, (150, 10**7), "supplies"),
    ("SIE", "Subasta Inversa Electrónica", "open", 15, None, "infima-cuantia", (7500, 900000), "supplies"),
    ("CE", "Catálogo Electrónico", "direct", 11, None, None, (800, 250000), "supplies"),
    ("MCO", "Menor Cuantía Obras", "open", 8, "menor-cuantia", "infima-cuantia", (20000, 10**7), "works"),
    ("COTO", "Cotización Obras", "open", 4, "cotizacion", "menor-cuantia", (0, 10**7), "works"),
    ("LICO", "Licitación Obras", "open", 2, None, "cotizacion", (0, 4500000), "works"),
    ("RE", "Régimen Especial", "limited", 5, None, None, (5000, 400000), "special"),
    ("EMERGENCIA", "Contratación de Emergencia", "limited", 3, None, None, (15000, 900000), "works"),
    ("CDC", "Consultoría Contratación Directa", "direct", 4, "consultoria-directa", None, (3000, 10**7), "consultancy"),
    (
        "LCC",
        "Consultoría Lista Corta",
        "selective",
        3,
        "consultoria-lista-corta",
        "consultoria-directa",
        (0, 10**7),
        "consultancy",
    ),
)
# Processes planted above their procedure's upper limit (THRESH), by `number % 97`.
ABOVE_THRESHOLD_PATTERNS = (60, 61)

# (CPC code, description, category, plausible amount of one process, the kinds of procedure that
# buy it, the title (works name a place), the reasons a contract of this object grows).
ITEMS = (
    ("3215100011", "Papel bond tamaño A4", "goods", (150, 40000), "supplies", "", ()),
    ("3215100012", "Papel bond tamaño INEN", "goods", (150, 30000), "supplies", "", ()),
    ("4291100213", "Tóner para impresora", "goods", (200, 60000), "supplies", "", ()),
    ("3311100011", "Combustible diésel", "goods", (500, 900000), "supplies special", "", ()),
    ("3311100012", "Gasolina extra", "goods", (300, 400000), "supplies special", "", ()),
    (
        "5321100111",
        "Mantenimiento de vías lastradas",
        "works",
        (20000, 2500000),
        "works",
        "Mantenimiento de la vía lastrada {place} – {other}",
        (
            "Mayores cantidades de material de lastre en tramos destruidos por las lluvias del invierno",
            "Rubros nuevos de cunetas y alcantarillas no previstos en los estudios",
        ),
    ),
    (
        "5321100112",
        "Asfaltado de vías rurales",
        "works",
        (150000, 4500000),
        "works",
        "Asfaltado de la vía {place} – {other}",
        (
            "Mayores cantidades de mezcla asfáltica por el ensanchamiento de curvas peligrosas",
            "Obras de drenaje y muros de contención no previstos en los estudios",
        ),
    ),
    (
        "5324200015",
        "Construcción de puentes",
        "works",
        (180000, 4500000),
        "works",
        "Construcción del puente sobre el estero de {place}",
        (
            "Mayor profundidad de cimentación de los estribos según el estudio de suelos",
            "Mayores cantidades de acero de refuerzo y hormigón en la superestructura",
        ),
    ),
    (
        "5325100011",
        "Sistemas de agua potable",
        "works",
        (40000, 4000000),
        "works",
        "Sistema de agua potable para {place}",
        (
            "Mayor longitud de la línea de conducción por la reubicación de la captación",
            "Rubros nuevos de conexiones domiciliarias pedidos por la comunidad",
        ),
    ),
    (
        "5326100014",
        "Alcantarillado sanitario",
        "works",
        (60000, 4500000),
        "works",
        "Alcantarillado sanitario de {place}",
        (
            "Mayor profundidad de excavación y entibado por el nivel freático alto",
            "Mayores cantidades de tubería y pozos de revisión en calles no incluidas en el diseño",
        ),
    ),
    ("8711100112", "Mantenimiento de maquinaria pesada", "services", (800, 350000), "supplies special", "", ()),
    ("8714100011", "Mantenimiento de vehículos", "services", (300, 150000), "supplies", "", ()),
    (
        "8331100012",
        "Consultoría de estudios viales",
        "services",
        (8000, 500000),
        "consultancy",
        "Estudios definitivos de la vía {place} – {other}",
        (),
    ),
    (
        "8332100015",
        "Fiscalización de obras",
        "services",
        (5000, 500000),
        "consultancy",
        "Fiscalización de las obras de {place}",
        (),
    ),
    ("8521100011", "Servicio de limpieza", "services", (1500, 300000), "supplies", "", ()),
    ("8525100012", "Servicio de seguridad y vigilancia", "services", (3000, 400000), "supplies special", "", ()),
    ("3451100011", "Cemento Portland", "goods", (300, 500000), "supplies", "", ()),
    ("4291300011", "Repuestos para maquinaria", "goods", (300, 300000), "supplies special", "", ()),
    ("6322000111", "Servicio de alimentación", "services", (300, 90000), "supplies special", "", ()),
    ("4811100113", "Equipos de cómputo", "goods", (700, 400000), "supplies", "", ()),
)
# Rural parishes and places of Manabí, for the titles of works and studies.
PLACES = (
    "Abdón Calderón",
    "Alhajuela",
    "Chirijos",
    "Crucita",
    "Pueblo Nuevo",
    "Riochico",
    "San Plácido",
    "San Lorenzo",
    "Santa Marianita",
    "Honorato Vásquez",
    "La Unión",
    "Quiroga",
    "Canuto",
    "Membrillo",
    "Charapotó",
    "Lodana",
    "Sosote",
    "Ayacucho",
    "Calderón",
    "Río Chico",
)
# Days of each step: the bid deadline after publication (competitive procedures), the award after
# the deadline (evaluation) or after publication (direct ones), the contract after the award, and
# the contract's duration by category.
TENDER_DAYS = (15, 36)
SHORT_TENDER_DAYS = (3, 6)  # planted: shorter than the procedure's minimum (R003)
EVALUATION_DAYS = (3, 25)
DIRECT_AWARD_DAYS = (1, 15)
SIGNATURE_DAYS = (2, 16)
DURATION_DAYS = {"works": (90, 420), "goods": (15, 90), "services": (60, 365)}

SUPPLIER_WORDS = (
    (
        "Constructora",
        "Ingeniería",
        "Servicios",
        "Comercial",
        "Distribuidora",
        "Consultora",
        "Transportes",
        "Inversiones",
    ),
    (
        "del Pacífico",
        "Manaba",
        "Costa Verde",
        "Río Portoviejo",
        "Montecristi",
        "Jaramijó",
        "Chone",
        "Los Ceibos",
        "El Mirador",
        "San Pablo",
    ),
    ("S.A.", "Cía. Ltda.", "S.A.S.", "EP"),
)
# The first words of the names of the suppliers of each trade.
TRADES = {
    "works": ("Constructora", "Ingeniería"),
    "consultancy": ("Consultora", "Ingeniería"),
    "goods": ("Comercial", "Distribuidora", "Inversiones"),
    "services": ("Servicios", "Transportes"),
}
BUYER_UNITS = ("", "Empresa Pública de Vialidad (demostración)", "Patronato de Acción Social (demostración)")
TENDER_WITH_PERIOD_SHARE = 0.35  # SERCOP data often lacks tenderPeriod.endDate
# Seven suppliers in ten carry their registration date in parties[].details; the others leave
# the newly-registered-supplier flag without data, as published data often does.
REGISTRATION_SHARE = 7


def procedure_limits(year: int) -> dict[str, tuple[float, float | None]]:
    """Each procedure's legal range of amounts in `year` (lower, upper; None where the law sets no
    upper limit), from the procedure types' threshold coefficients and the demonstration PIE;
    works use the works coefficients."""
    pie = DEMO_PIE.get(year) or DEMO_PIE[max(DEMO_PIE)]
    coefficients = {row[0]: Decimal(row[4]) for row in DEFAULT_PROCEDURES if row[4]}
    works = coefficients_by_procedure(WORKS_THRESHOLD_COEFFICIENTS)
    limits = {}
    for prefix, *_rest, upper, lower, _span, kind in PROCEDURES:
        own = {**coefficients, **works} if kind == "works" else coefficients
        low, high = (
            float((own[code] * pie).quantize(Decimal("0.01"))) if code in own else None for code in (lower, upper)
        )
        limits[prefix] = (low or 0.0, high)
    return limits


def _registration(identifier: str) -> dict:
    """The supplier's registration date, derived from its id (no draw from the generator)."""
    number = zlib.crc32(identifier.encode())
    if number % 10 >= REGISTRATION_SHARE:
        return {}
    day = dt.date(2008, 1, 1) + dt.timedelta(days=number // 10 % 4000)
    return {"details": {"registrationDate": day.isoformat()}}


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S-05:00")


class DemoContracting:
    """Generates the releases of `processes` processes for one government: the dates of each
    follow the legal order (planning, publication, bid deadline, award, contract, amendments) and
    stop at the publication date, and each amount lies inside its procedure's legal range and
    what its object plausibly costs, except in the processes planted to fire a red flag."""

    def __init__(
        self,
        *,
        government_name: str,
        dpa_code: str,
        seed: int,
        years=(2024, 2025),
        supplier_count=160,
        published: dt.datetime = PUBLISHED,
    ):
        self.rng = random.Random(seed)
        self.entity = f"{int(dpa_code or '0') % 10000:04d}{seed % 1000:03d}"
        self.government_name = government_name
        self.years = years
        self.published = published
        base = self.rng
        self.suppliers = []
        seen = set()
        while len(self.suppliers) < supplier_count:
            name = f"{base.choice(SUPPLIER_WORDS[0])} {base.choice(SUPPLIER_WORDS[1])} {base.choice(SUPPLIER_WORDS[2])} (ficticia)"
            if name in seen:
                name = f"{name[:-11]} {len(self.suppliers)} (ficticia)"
            seen.add(name)
            ruc = f"13{90000000 + len(self.suppliers) * 7919 % 9999999:08d}001"
            self.suppliers.append({"id": f"EC-RUC-{ruc}", "name": name, **_registration(f"EC-RUC-{ruc}")})
        # Who sells what, by the first word of the name: nobody builds bridges and sells toner.
        self.trades = {
            trade: [i for i, supplier in enumerate(self.suppliers) if supplier["name"].split()[0] in words]
            for trade, words in TRADES.items()
        }
        self.favoured = self.trades["works"][0]  # the road company's favourite builder
        self.buyers = []
        for index, unit in enumerate(BUYER_UNITS):
            name = unit or government_name
            self.buyers.append({"id": f"EC-RUC-13600{self.entity}{index:02d}001-{self.entity}{index}", "name": name})
        self.cum_weights = list(accumulate(procedure[3] for procedure in PROCEDURES))
        self.limits = {year: procedure_limits(year) for year in years}
        # What each procedure may buy in each year, with the span of amounts it may cost (the
        # object's, inside the procedure's usual span and legal limits), worked out once.
        self.choices = {}
        for year in years:
            for prefix, *_rest, (usual_low, usual_high), kind in PROCEDURES:
                lower, upper = self.limits[year][prefix]
                options = []
                for item in ITEMS:
                    if kind not in item[4].split():
                        continue
                    low = max(item[3][0], usual_low, lower + 1)
                    high = min(item[3][1], usual_high, upper if upper is not None else math.inf)
                    if high > low * 1.2:
                        options.append((item, math.log(low), math.log(high)))
                assert options, (prefix, year)
                self.choices[prefix, year] = options

    def _supplier(self, trade: str, favoured: int | None = None) -> dict:
        """A supplier of the trade (a builder for works, a trader for goods...): a few win
        often, most rarely; ``favoured`` wins half of what it may (a planted concentration)."""
        if favoured is not None and self.rng.random() < 0.5:
            return self.suppliers[favoured]
        pool = self.trades.get(trade) or list(range(len(self.suppliers)))
        index = min(int(self.rng.paretovariate(1.1)) - 1, len(pool) - 1)
        return self.suppliers[pool[index] if self.rng.random() < 0.6 else self.rng.choice(pool)]

    def processes(self, count: int, *, start: int = 0) -> Iterator[list[dict]]:
        """The releases of each process, in date order."""
        for number in range(start, start + count):
            yield self._process(number)

    def _title(self, item: tuple, buyer: dict, year: int) -> str:
        if item[5]:
            place = self.rng.randrange(len(PLACES))
            other = (place + self.rng.randrange(1, len(PLACES))) % len(PLACES)
            return item[5].format(place=PLACES[place], other=PLACES[other])
        name = buyer["name"].split(" (")[0]
        article = "la" if name.startswith(("Empresa", "Dirección", "Secretaría")) else "el"
        return f"{item[1]} para {article} {name} ({year})"

    def _days_open(self, year: int) -> int:
        """How many days of `year` tenders are published on: most of it, but in the year of the
        package's publication only the days before it (a tender is never dated in the future;
        those published lately are still open)."""
        start = dt.datetime(year, 1, 6, 9)
        if self.published >= start + dt.timedelta(days=342):
            return 340
        return max(1, (self.published - start).days - 1)

    def _process(self, number: int) -> list[dict]:  # noqa: C901, PLR0912, PLR0915 - one process, step by step
        rng = self.rng
        procedure = rng.choices(PROCEDURES, cum_weights=self.cum_weights)[0]
        prefix, details, method = procedure[0], procedure[1], procedure[2]
        year = self.years[number % len(self.years)]
        buyer = self.buyers[0] if rng.random() < 0.75 else rng.choice(self.buyers[1:])
        item, log_low, log_high = rng.choice(self.choices[prefix, year])
        high = math.exp(log_high)
        amount = round(math.exp(rng.uniform(log_low, log_high)), 2)
        day = dt.datetime(year, 1, 6, 9) + dt.timedelta(
            days=rng.randrange(0, self._days_open(year)), hours=rng.randrange(0, 8)
        )
        pattern = number % 97
        trade = "consultancy" if procedure[-1] == "consultancy" else item[2]
        supplier = self._supplier(trade, favoured=self.favoured if buyer is self.buyers[1] else None)
        if prefix == "IC" and pattern < 6:
            # Planted: ínfima cuantía purchases of one family from one supplier, days apart.
            supplier, item = self.suppliers[self.trades["goods"][5 + pattern % 3]], ITEMS[0]
            day = dt.datetime(year, 3 + pattern % 3, 2 + (number // 97) % 20, 10)
            if day > self.published - dt.timedelta(days=7):  # not yet this year: last year's
                day, year = day.replace(year=year - 1), year - 1
            amount = round(rng.uniform(5200, 6900), 2)
        if prefix == "EMERGENCIA" and buyer is not self.buyers[2] and rng.random() < 0.6:
            buyer = self.buyers[2]  # planted: one entity contracts mostly by emergency
        code, description, category = item[0], item[1], item[2]
        ocid = f"{OCID_PREFIX}-{prefix}-{self.entity}-{year}-{number:06d}-{self.entity}"
        title = self._title(item, buyer, year)
        budget_code = f"{'75' if category == 'works' else '73'}.{rng.randrange(1, 9):02d}.{rng.randrange(1, 20):02d}"
        if pattern in ABOVE_THRESHOLD_PATTERNS and prefix in ("IC", "CDC"):
            # Planted: an ínfima cuantía or direct consultancy above the procedure's upper limit.
            amount = round(self.limits[year][prefix][1] * 1.12 + number % 50 * 10, 2)
            high = amount
        # The referential budget: at or a little above the award, never above the procedure's limit.
        tender_value = min(round(amount * rng.uniform(1.0, 1.1), 2), round(high, 2))
        budget_amount = round(tender_value * rng.uniform(1.0, 1.12), 2)
        if pattern in (7, 8):
            budget_amount = round(amount * 0.9, 2)  # planted: award above the budget
        party_buyer = {**buyer, "roles": ["buyer", "procuringEntity"]}
        planning = {
            "budget": {
                "id": budget_code,
                "description": f"Partida {budget_code} (demostración)",
                "amount": {"amount": budget_amount, "currency": "USD"},
                "budgetBreakdown": [
                    {
                        "id": f"{budget_code}.{rng.randrange(1, 99):03d}",
                        "amount": {"amount": budget_amount, "currency": "USD"},
                        "period": {
                            "startDate": f"{year}-01-01T00:00:00-05:00",
                            "endDate": f"{year}-12-31T23:59:59-05:00",
                        },
                    }
                ],
            },
            "rationale": f"Necesidad institucional: {description.lower()}",
        }
        action = {"goods": "Adquisición de", "services": "Contratación de", "works": "Ejecución de la obra:"}[category]
        tender = {
            "id": ocid.removeprefix(f"{OCID_PREFIX}-"),
            "title": title,
            "description": f"{action} {title[0].lower()}{title[1:]} — datos de demostración.",
            "status": "active",
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "mainProcurementCategory": category,
            "value": {"amount": tender_value, "currency": "USD"},
            "items": [
                {
                    "id": "1",
                    "description": description,
                    "classification": {"scheme": "CPC", "id": code, "description": description},
                    "quantity": 1 if category == "works" else rng.randrange(1, 200),
                }
            ],
            "documents": [
                {
                    "id": "pliego",
                    "documentType": "biddingDocuments",
                    "title": "Pliego del proceso (demostración)",
                    "datePublished": _iso(day),
                }
            ],
        }
        competitive = method in ("open", "selective")
        if competitive:
            # The bid deadline, published by some processes only (the award waits for it either way).
            short = pattern in (11, 12)
            deadline = day + dt.timedelta(days=rng.randrange(*(SHORT_TENDER_DAYS if short else TENDER_DAYS)))
            if rng.random() < TENDER_WITH_PERIOD_SHARE or short:
                tender["tenderPeriod"] = {"startDate": _iso(day), "endDate": _iso(deadline)}
            award_day = deadline + dt.timedelta(days=rng.randrange(*EVALUATION_DAYS))
        else:
            award_day = day + dt.timedelta(days=rng.randrange(*DIRECT_AWARD_DAYS))
        bidders = 1 if competitive and pattern in (20, 21, 22) else (rng.randrange(2, 7) if competitive else 1)
        if competitive:
            tender["numberOfTenderers"] = bidders
        planned = max(day - dt.timedelta(days=rng.randrange(7, 45)), dt.datetime(year, 1, 2, 9))
        releases = [
            {
                "ocid": ocid,
                "id": f"{ocid}-01-planning",
                "date": _iso(planned),
                "tag": ["planning"],
                "initiationType": "tender",
                "buyer": {"id": buyer["id"], "name": buyer["name"]},
                "parties": [party_buyer],
                "planning": planning,
            },
            {
                "ocid": ocid,
                "id": f"{ocid}-02-tender",
                "date": _iso(day),
                "tag": ["tender"],
                "initiationType": "tender",
                "buyer": {"id": buyer["id"], "name": buyer["name"]},
                "tender": tender,
            },
        ]
        if pattern == 40:
            # Cancelled at least a day before the bid deadline, as the law allows.
            cancelled = day + dt.timedelta(days=max(1, (deadline - day).days // 2) if competitive else 3)
            if cancelled <= self.published:
                releases.append(
                    {
                        "ocid": ocid,
                        "id": f"{ocid}-03-cancelled",
                        "date": _iso(cancelled),
                        "tag": ["tenderCancellation"],
                        "initiationType": "tender",
                        "tender": {"id": tender["id"], "status": "cancelled"},
                    }
                )
            return releases
        if award_day > self.published:
            return releases  # still open or under evaluation on the publication date
        if pattern == 70:
            # Planted: a supplier registered a few weeks before the award it wins.
            registered = (award_day - dt.timedelta(days=15 + number % 40)).date()
            supplier = {
                "id": f"EC-RUC-17{number % 10**8:08d}001",
                "name": f"Servicios Integrales {number} (ficticia)",
                "details": {"registrationDate": registered.isoformat()},
            }
        award = {
            "id": f"{ocid}-award-1",
            "status": "active",
            "date": _iso(award_day),
            "value": {"amount": amount, "currency": "USD"},
            "suppliers": [{"id": supplier["id"], "name": supplier["name"]}],
            "items": tender["items"],
        }
        award_release = {
            "ocid": ocid,
            "id": f"{ocid}-03-award",
            "date": _iso(award_day),
            "tag": ["award"],
            "initiationType": "tender",
            "awards": [award],
            "parties": [party_buyer, {**supplier, "roles": ["supplier", "tenderer"]}],
        }
        if competitive and bidders > 1 and rng.random() < 0.3 or pattern in (30, 31, 32, 33):
            bids = [
                {
                    "id": "1",
                    "status": "valid",
                    "tenderers": [{"id": supplier["id"], "name": supplier["name"]}],
                    "value": {"amount": amount, "currency": "USD"},
                }
            ]
            others = max(bidders - 1, 2)
            for index in range(others):
                other = self.suppliers[(number + index * 13 + 1) % len(self.suppliers)]
                disqualified = pattern in (30, 31) or (pattern in (32, 33) and index == 0)
                value = amount * (0.9 if pattern in (32, 33) and index == 0 else rng.uniform(1.02, 1.3))
                bids.append(
                    {
                        "id": str(index + 2),
                        "status": "disqualified" if disqualified else "valid",
                        "tenderers": [{"id": other["id"], "name": other["name"]}],
                        "value": {"amount": round(value, 2), "currency": "USD"},
                    }
                )
            award_release["bids"] = {"details": bids}
        releases.append(award_release)
        contract_day = award_day + dt.timedelta(days=rng.randrange(*SIGNATURE_DAYS))
        if rng.random() < 0.1 and pattern > 40 or contract_day > self.published:
            return releases  # awarded, contract not signed yet
        duration = rng.randrange(*DURATION_DAYS[category])
        contract = {
            "id": f"{ocid}-contract-1",
            "awardID": award["id"],
            "title": f"Contrato: {title}",
            "status": "active",
            "value": {"amount": amount, "currency": "USD"},
            "dateSigned": _iso(contract_day),
            "period": {"startDate": _iso(contract_day), "endDate": _iso(contract_day + dt.timedelta(days=duration))},
        }
        releases.append(
            {
                "ocid": ocid,
                "id": f"{ocid}-04-contract",
                "date": _iso(contract_day),
                "tag": ["contract"],
                "initiationType": "tender",
                "contracts": [contract],
            }
        )
        if category == "works" and (pattern in (50, 51, 52) or rng.random() < 0.08):
            growth = rng.uniform(0.3, 0.6) if pattern in (50, 51, 52) else rng.uniform(0.02, 0.15)
            # While the works are under way: after the signature, before the contract ends.
            amended_day = contract_day + dt.timedelta(days=rng.randrange(20, duration - 10))
            if amended_day > self.published:
                return releases
            reason = rng.choice(item[6])
            releases.append(
                {
                    "ocid": ocid,
                    "id": f"{ocid}-05-amendment",
                    "date": _iso(amended_day),
                    "tag": ["contractAmendment"],
                    "initiationType": "tender",
                    "contracts": [
                        {
                            "id": contract["id"],
                            "awardID": award["id"],
                            "value": {"amount": round(amount * (1 + growth), 2), "currency": "USD"},
                            "amendments": [
                                {
                                    "id": "1",
                                    "date": _iso(amended_day),
                                    "rationale": f"Contrato complementario: {reason[0].lower()}{reason[1:]} (demostración)",
                                }
                            ],
                        }
                    ],
                }
            )
        return releases


def release_package(releases: list[dict], *, published: dt.datetime, uri: str) -> dict:
    return {
        "uri": uri,
        "version": "1.1",
        "publishedDate": _iso(published),
        "publisher": PUBLISHER,
        "releases": releases,
    }
