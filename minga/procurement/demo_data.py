"""Deterministic demonstration OCDS data, shaped like SERCOP's: release packages with planning,
tender, award, contract and amendment releases, Ecuadorian procedure types, invented suppliers
and buyers (clearly marked as demonstration) and a few planted red-flag patterns. Used by the
demo seeds and the benchmarks; no real entity or person is named."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Iterator

PUBLISHER = {"name": "Demostración Minga (datos ficticios)"}
OCID_PREFIX = "ocds-5wno2w"

# (code prefix in the OCID, procurementMethodDetails, procurementMethod, weight, amount range, category)
PROCEDURES = (
    ("IC", "Ínfima Cuantía", "direct", 45, (300, 7000), "goods"),
    ("SIE", "Subasta Inversa Electrónica", "open", 15, (7500, 180000), "goods"),
    ("CE", "Catálogo Electrónico", "direct", 11, (800, 60000), "goods"),
    ("MCO", "Menor Cuantía Obras", "open", 8, (20000, 230000), "works"),
    ("COTO", "Cotización Obras", "open", 4, (240000, 990000), "works"),
    ("LICO", "Licitación Obras", "open", 2, (1100000, 4500000), "works"),
    ("RE", "Régimen Especial", "limited", 5, (5000, 300000), "services"),
    ("EMERGENCIA", "Contratación de Emergencia", "limited", 3, (10000, 400000), "works"),
    ("CDC", "Consultoría Contratación Directa", "direct", 4, (3000, 70000), "services"),
    ("LCC", "Consultoría Lista Corta", "selective", 3, (70000, 500000), "services"),
)

ITEMS = (
    ("3215100011", "Papel bond tamaño A4"),
    ("3215100012", "Papel bond tamaño INEN"),
    ("4291100213", "Tóner para impresora"),
    ("3311100011", "Combustible diésel"),
    ("3311100012", "Gasolina extra"),
    ("5321100111", "Mantenimiento de vías lastradas"),
    ("5321100112", "Asfaltado de vías rurales"),
    ("5324200015", "Construcción de puentes"),
    ("5325100011", "Sistemas de agua potable"),
    ("5326100014", "Alcantarillado sanitario"),
    ("8711100112", "Mantenimiento de maquinaria pesada"),
    ("8714100011", "Mantenimiento de vehículos"),
    ("8331100012", "Consultoría de estudios viales"),
    ("8332100015", "Fiscalización de obras"),
    ("8521100011", "Servicio de limpieza"),
    ("8525100012", "Servicio de seguridad y vigilancia"),
    ("3451100011", "Cemento Portland"),
    ("4291300011", "Repuestos para maquinaria"),
    ("6322000111", "Servicio de alimentación"),
    ("4811100113", "Equipos de cómputo"),
)

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
BUYER_UNITS = ("", "Empresa Pública de Vialidad (demostración)", "Patronato de Acción Social (demostración)")
TENDER_WITH_PERIOD_SHARE = 0.35  # SERCOP data often lacks tenderPeriod.endDate
# Seven suppliers in ten carry their registration date in parties[].details; the others leave
# the newly-registered-supplier flag without data, as published data often does.
REGISTRATION_SHARE = 7


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
    """Generates the releases of `processes` processes for one government."""

    def __init__(self, *, government_name: str, dpa_code: str, seed: int, years=(2024, 2025), supplier_count=160):
        self.rng = random.Random(seed)
        self.entity = f"{int(dpa_code or '0') % 10000:04d}{seed % 1000:03d}"
        self.government_name = government_name
        self.years = years
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
        self.buyers = []
        for index, unit in enumerate(BUYER_UNITS):
            name = unit or government_name
            self.buyers.append({"id": f"EC-RUC-13600{self.entity}{index:02d}001-{self.entity}{index}", "name": name})
        self.weights = [weight for _p, _d, _m, weight, _r, _c in PROCEDURES]

    def _supplier(self, favoured: int | None = None) -> dict:
        if favoured is not None and self.rng.random() < 0.5:
            return self.suppliers[favoured]
        # A long tail: a few suppliers win often, most rarely.
        index = min(int(self.rng.paretovariate(1.1)) - 1, len(self.suppliers) - 1)
        return self.suppliers[index if self.rng.random() < 0.6 else self.rng.randrange(len(self.suppliers))]

    def processes(self, count: int, *, start: int = 0) -> Iterator[list[dict]]:
        """The releases of each process, in date order."""
        for number in range(start, start + count):
            yield self._process(number)

    def _process(self, number: int) -> list[dict]:
        rng = self.rng
        prefix, details, method, _w, (low, high), category = rng.choices(PROCEDURES, weights=self.weights)[0]
        year = self.years[number % len(self.years)]
        buyer = self.buyers[0] if rng.random() < 0.75 else rng.choice(self.buyers[1:])
        code, item = rng.choice(ITEMS)
        amount = round(rng.uniform(low, high), 2)
        day = dt.datetime(year, 1, 6, 9) + dt.timedelta(days=rng.randrange(0, 340), hours=rng.randrange(0, 8))
        pattern = number % 97
        supplier = self._supplier(favoured=3 if buyer is self.buyers[1] else None)
        if prefix == "IC" and pattern < 6:
            # Planted: ínfima cuantía purchases of one family from one supplier, days apart.
            supplier, (code, item) = self.suppliers[10 + pattern % 3], ITEMS[0]
            day = dt.datetime(year, 3 + pattern % 3, 2 + (number // 97) % 20, 10)
            amount = round(rng.uniform(5200, 6900), 2)
        if prefix == "EMERGENCIA" and buyer is not self.buyers[2] and rng.random() < 0.6:
            buyer = self.buyers[2]  # planted: one entity contracts mostly by emergency
        ocid = f"{OCID_PREFIX}-{prefix}-{self.entity}-{year}-{number:06d}-{self.entity}"
        title = f"{item} para {buyer['name'].split(' (')[0]} ({year})"
        budget_code = f"{'75' if category == 'works' else '73'}.{rng.randrange(1, 9):02d}.{rng.randrange(1, 20):02d}"
        budget_amount = round(amount * rng.uniform(1.02, 1.25), 2)
        if pattern in (7, 8):
            budget_amount = round(amount * 0.9, 2)  # planted: award above the budget
        if pattern in (60, 61) and prefix in ("IC", "CDC"):
            # Planted: an ínfima cuantía or direct consultancy above the procedure's upper limit.
            amount = round(high * 1.12 + number % 50 * 10, 2)
            high = amount
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
            "rationale": f"Necesidad institucional: {item.lower()}",
        }
        tender = {
            "id": ocid.removeprefix(f"{OCID_PREFIX}-"),
            "title": title,
            "description": f"Adquisición / contratación de {item.lower()} — datos de demostración.",
            "status": "active",
            "procurementMethod": method,
            "procurementMethodDetails": details,
            "mainProcurementCategory": category,
            # The tender value stays within the procedure's band, except where a process is planted above it.
            "value": {"amount": min(round(amount * rng.uniform(1.0, 1.1), 2), high), "currency": "USD"},
            "items": [
                {
                    "id": "1",
                    "description": item,
                    "classification": {"scheme": "CPC", "id": code, "description": item},
                    "quantity": rng.randrange(1, 200),
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
        if competitive and (rng.random() < TENDER_WITH_PERIOD_SHARE or pattern in (11, 12)):
            days = rng.randrange(3, 6) if pattern in (11, 12) else rng.randrange(8, 30)
            tender["tenderPeriod"] = {"startDate": _iso(day), "endDate": _iso(day + dt.timedelta(days=days))}
        bidders = 1 if competitive and pattern in (20, 21, 22) else (rng.randrange(2, 7) if competitive else 1)
        if competitive:
            tender["numberOfTenderers"] = bidders
        releases = [
            {
                "ocid": ocid,
                "id": f"{ocid}-01-planning",
                "date": _iso(day - dt.timedelta(days=7)),
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
            releases.append(
                {
                    "ocid": ocid,
                    "id": f"{ocid}-03-cancelled",
                    "date": _iso(day + dt.timedelta(days=12)),
                    "tag": ["tenderCancellation"],
                    "initiationType": "tender",
                    "tender": {"id": tender["id"], "status": "cancelled"},
                }
            )
            return releases
        award_day = day + dt.timedelta(days=rng.randrange(5, 40))
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
        if rng.random() < 0.1 and pattern > 40:
            return releases  # awarded, contract not signed yet
        contract_day = award_day + dt.timedelta(days=rng.randrange(3, 20))
        contract = {
            "id": f"{ocid}-contract-1",
            "awardID": award["id"],
            "title": f"Contrato: {title}",
            "status": "active",
            "value": {"amount": amount, "currency": "USD"},
            "dateSigned": _iso(contract_day),
            "period": {"startDate": _iso(contract_day), "endDate": _iso(contract_day + dt.timedelta(days=90))},
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
            amended_day = contract_day + dt.timedelta(days=rng.randrange(30, 120))
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
                                    "rationale": "Contrato complementario por mayores cantidades de obra (demostración)",
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
