"""What a column's numbers mean, decided once at load from its name and the shape of its values.

Type inference says whether values parse as numbers; this module says what those numbers are,
so that nobody adds up years or shows a cédula as "1.310.012.345":

- ``code``: codes and identifiers written with digits (DPA codes, budget partidas, RUC and cédula
  numbers, process and postal codes). Loaded as text whatever their digits (a Manabí-only file
  has codes 1301…1322 with no leading zero), never totalled, never grouped in thousands.
- ``period``: years, months, days. Never totalled, never grouped in thousands.
- ``ratio``: percentages, rates, averages, indexes, coordinates, ages: numbers that do not add up.
- ``amount``: money. Adds up; always shown with two decimals.
- ``quantity``: any other number (counts, lengths, areas). Adds up.

Text, date and yes/no columns have no role (``""``) unless they are codes. The data dictionary
can fix a role; that choice wins over the guess here (see ``effective_role`` in the callers).
"""

from __future__ import annotations

import re
from enum import StrEnum

from .inference import SHAPE_CEDULA, SHAPE_RUC, ColumnType, shape_of  # noqa: F401 (re-exported)
from .names import fold


class ColumnRole(StrEnum):
    NONE = ""
    AMOUNT = "amount"
    QUANTITY = "quantity"
    RATIO = "ratio"
    PERIOD = "period"
    CODE = "code"


ADDITIVE = frozenset({ColumnRole.AMOUNT, ColumnRole.QUANTITY})
UNGROUPED = frozenset({ColumnRole.CODE, ColumnRole.PERIOD})
NUMERIC = (ColumnType.INTEGER, ColumnType.DECIMAL)

CODE_WORDS = frozenset(
    [
        "cod",
        "codigo",
        "codigos",
        "code",
        "dpa",
        "partida",
        "partidas",
        "ruc",
        "cedula",
        "cedulas",
        "ci",
        "postal",
        "zip",
        "clasificador",
        "proceso",
        "ubigeo",
        "geocodigo",
        "catastro",
        "clave",
    ]
)
# Place names that hold codes when their values are whole numbers (``canton`` = 1301).
PLACE_WORDS = frozenset(["provincia", "canton", "parroquia", "zona", "circuito", "distrito", "sector"])
IDENTIFIER_FIRST = frozenset({"id", "nro", "no", "n", "num", "secuencial"})
NUMBERED_THINGS = frozenset(
    [
        "contrato",
        "proceso",
        "orden",
        "documento",
        "oficio",
        "factura",
        "expediente",
        "resolucion",
        "registro",
        "acta",
        "memorando",
    ]
)
PERIOD_WORDS = frozenset(
    [
        "anio",
        "anios",
        "ano",
        "year",
        "years",
        "ejercicio",
        "periodo",
        "gestion",
        "mes",
        "month",
        "dia",
        "day",
        "trimestre",
        "semestre",
        "quarter",
    ]
)
RATIO_WORDS = frozenset(
    [
        "porcentaje",
        "porcentajes",
        "pct",
        "porc",
        "percent",
        "percentage",
        "tasa",
        "tasas",
        "rate",
        "ratio",
        "razon",
        "indice",
        "index",
        "promedio",
        "media",
        "average",
        "mean",
        "avance",
        "proporcion",
        "densidad",
        "coeficiente",
        "lat",
        "latitud",
        "latitude",
        "lon",
        "lng",
        "longitude",
        "altitud",
        "altura",
        "temperatura",
        "edad",
        "age",
        "puntaje",
        "calificacion",
        "nota",
    ]
)
AMOUNT_WORDS = frozenset(
    [
        "monto",
        "montos",
        "valor",
        "valores",
        "presupuesto",
        "presupuestado",
        "costo",
        "coste",
        "costos",
        "precio",
        "precios",
        "importe",
        "usd",
        "dolares",
        "devengado",
        "codificado",
        "pagado",
        "asignado",
        "comprometido",
        "certificado",
        "recaudado",
        "reformas",
        "salario",
        "sueldo",
        "remuneracion",
        "remuneraciones",
        "pago",
        "pagos",
        "gasto",
        "gastos",
        "ingreso",
        "ingresos",
        "inversion",
        "recaudacion",
        "deuda",
        "saldo",
        "subtotal",
        "iva",
        "anticipo",
        "multa",
        "multas",
    ]
)
MONEY_UNITS = frozenset({"usd", "$", "us$", "dolares", "dolar", "dólares", "dólar"})


def words(name: str, label: str = "") -> list[str]:
    """The words of a column's identifier and of its header ("Año fiscal" → año, fiscal)."""
    text = f"{name} {label}".replace("ñ", "ni").replace("Ñ", "ni")
    return [word for word in re.split(r"[^a-z0-9]+", fold(text)) if word]


def _is_identifier(parts: list[str]) -> bool:
    if not parts:
        return False
    if parts[0] in IDENTIFIER_FIRST or parts[-1] == "id":
        return True
    return parts[0] in ("numero", "num") and (len(parts) == 1 or parts[1] in NUMBERED_THINGS)


def looks_like_code(name: str, label: str = "", *, shapes: int = 0) -> bool:
    """A column of whole numbers that are codes: by its name, or by every value having the
    shape of a RUC or a cédula."""
    parts = words(name, label)
    if shapes:
        return True
    if any(word in CODE_WORDS for word in parts):
        return not any(word in AMOUNT_WORDS or word in RATIO_WORDS for word in parts)
    return bool(parts) and parts[0] in PLACE_WORDS


def guess_role(name: str, label: str, column_type: ColumnType | str, *, low=None, high=None) -> ColumnRole:
    """The role of a loaded column from its name, header and type (and, for years, its range)."""
    column_type = ColumnType(column_type)
    name_parts, label_parts = words(name), words("", label)
    parts = name_parts + [word for word in label_parts if word not in name_parts]
    if column_type not in NUMERIC:
        return ColumnRole.CODE if any(word in CODE_WORDS for word in parts) else ColumnRole.NONE
    # A period is named for it ("Año", "anio_fiscal", "Mes"); "solicitudes_año" counts requests.
    in_range = low is None or high is None or (low >= 0 and high <= 9999)
    named_period = any(first and first[0] in PERIOD_WORDS for first in (name_parts, label_parts))
    if column_type == ColumnType.INTEGER and in_range and named_period:
        return ColumnRole.PERIOD
    if "%" in label or any(word in RATIO_WORDS for word in parts):
        return ColumnRole.RATIO
    if any(word in AMOUNT_WORDS for word in parts) or (column_type == ColumnType.DECIMAL and "total" in parts):
        return ColumnRole.AMOUNT
    if column_type == ColumnType.INTEGER and (_is_identifier(name_parts) or looks_like_code(name, label)):
        return ColumnRole.CODE
    return ColumnRole.QUANTITY


def is_money_unit(unit: str) -> bool:
    return fold(unit.strip()).rstrip(".") in MONEY_UNITS


def adds_up(role: str) -> bool:
    return role in ADDITIVE
