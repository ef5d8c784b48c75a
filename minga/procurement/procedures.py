"""Ecuadorian procedure types (LOSNCP) as data: the defaults a government starts with, and how a
published process is recognised as one of them. Officials edit names, recognised texts and
threshold coefficients in the back office; nothing here is fixed in code after creation."""

from __future__ import annotations

import re
from decimal import Decimal

from minga.core.search.text import words

# (code, name, family, recognised as, threshold coefficient of the PIE, infima, emergency,
# competitive). Coefficients from the SERCOP table of thresholds (goods and services); the
# first match in this order wins, so the more specific procedures come first.
DEFAULT_PROCEDURES = (
    ("emergencia", "Emergencia", "special", "emergencia", None, False, True, False),
    ("licitacion-seguros", "Licitación de seguros", "special", "licitacion de seguros", None, False, False, True),
    ("feria-inclusiva", "Feria inclusiva", "special", "feria inclusiva\nprefix:FI", None, False, False, True),
    ("infima-cuantia", "Ínfima cuantía", "dynamic", "infima cuantia\nprefix:IC", "0.0000002", True, False, False),
    (
        "subasta-inversa",
        "Subasta inversa electrónica",
        "dynamic",
        "subasta inversa\nprefix:SIE",
        None,
        False,
        False,
        True,
    ),
    (
        "catalogo-electronico",
        "Catálogo electrónico",
        "dynamic",
        "catalogo electronico\nprefix:CE",
        None,
        False,
        False,
        False,
    ),
    (
        "menor-cuantia",
        "Menor cuantía",
        "common",
        "menor cuantia\nprefix:MCBS\nprefix:MCO",
        "0.000002",
        False,
        False,
        True,
    ),
    ("cotizacion", "Cotización", "common", "cotizacion\nprefix:COTS\nprefix:COTO", "0.000015", False, False, True),
    (
        "licitacion",
        "Licitación",
        "common",
        "licitacion\nprefix:LICB\nprefix:LICO\nprefix:LICS",
        None,
        False,
        False,
        True,
    ),
    (
        "consultoria-directa",
        "Consultoría: contratación directa",
        "consultancy",
        "contratacion directa\nconsultoria directa\nprefix:CDC",
        "0.000002",
        False,
        False,
        False,
    ),
    (
        "consultoria-lista-corta",
        "Consultoría: lista corta",
        "consultancy",
        "lista corta\nprefix:LCC",
        "0.000015",
        False,
        False,
        True,
    ),
    (
        "consultoria-concurso",
        "Consultoría: concurso público",
        "consultancy",
        "concurso publico\nprefix:CPC",
        None,
        False,
        False,
        True,
    ),
    ("regimen-especial", "Régimen especial", "special", "regimen especial\nprefix:RE", None, False, False, False),
    ("bienes-unicos", "Bienes y servicios únicos", "special", "bienes y servicios unicos", None, False, False, False),
    ("arrendamiento", "Arrendamiento", "special", "arrendamiento", None, False, False, False),
)


# Where works have their own upper limits (SERCOP's table for works): the default of the module
# setting `works_threshold_coefficients`, read by THRESH and the demonstration data.
WORKS_THRESHOLD_COEFFICIENTS = "menor-cuantia=0.000007, cotizacion=0.00003"


def coefficients_by_procedure(text: str) -> dict[str, Decimal]:
    """`code=coefficient` pairs (the works thresholds, which differ from goods and services)."""
    found = {}
    for part in str(text or "").replace(";", ",").split(","):
        code, sep, value = part.partition("=")
        if sep:
            try:
                found[code.strip()] = Decimal(value.strip())
            except ArithmeticError:
                continue
    return found


def normalised(text: str) -> str:
    return " ".join(words(text or ""))


_CODE = re.compile(r"^ocds-[a-z0-9]+-(?P<code>[A-Za-z]+)", re.IGNORECASE)


def ocid_prefix(ocid: str) -> str:
    found = _CODE.match(ocid or "")
    return found["code"].upper() if found else ""


class ProcedureMatcher:
    """Finds the procedure type of a process; built once per import from the government's
    types (in their display order)."""

    def __init__(self, procedures):
        self.by_text: list[tuple[str, object]] = []
        self.by_prefix: dict[str, object] = {}
        for procedure in procedures:
            for term in procedure.terms():
                if term.lower().startswith("prefix:"):
                    self.by_prefix.setdefault(term.split(":", 1)[1].strip().upper(), procedure)
                elif normalised(term):
                    self.by_text.append((normalised(term), procedure))
        self._cache: dict[tuple[str, str], object] = {}

    def match(self, method_details: str, ocid: str):
        key = (method_details or "", ocid_prefix(ocid))
        if key not in self._cache:
            self._cache[key] = self._find(*key)
        return self._cache[key]

    def _find(self, method_details: str, prefix: str):
        text = f" {normalised(method_details)} "
        if text.strip():
            for term, procedure in self.by_text:
                if f" {term} " in text:
                    return procedure
        return self.by_prefix.get(prefix)


def threshold(procedure, pie: Decimal | None) -> Decimal | None:
    if procedure is None or procedure.threshold_coefficient is None or pie is None:
        return None
    return (procedure.threshold_coefficient * pie).quantize(Decimal("0.01"))
