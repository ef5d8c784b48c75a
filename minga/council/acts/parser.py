"""Reads an act's text pasted as plain text into ordered structural units.

Recognised headings (one per line, upper case as the gazettes print them, accents optional):
``TÍTULO I`` (its name on the same line after a dash or on the next line), ``CAPÍTULO II``,
``SECCIÓN 1``, ``Art. 1.-`` / ``Artículo 1.-`` (an optional heading ending in ``.-``, then
the text), ``DISPOSICIONES GENERALES`` / ``TRANSITORIAS`` / ``REFORMATORIAS`` /
``DEROGATORIAS`` / ``FINALES`` followed by ``PRIMERA.-``, ``SEGUNDA.-`` … items, or a single
``DISPOSICIÓN FINAL.-`` with its text. Anything before the first heading is the preamble
(exposición de motivos, considerandos, the enacting formula). Every other line continues the
unit above it, paragraphs kept."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROMAN_OR_NUMBER = r"(?:[IVXLCDM]+|\d+|[ÚU]NIC[OA]|PRIMER[OA]?|SEGUND[OA]|TERCER[OA]?|CUART[OA]|QUINT[OA])"
SEP = r"\s*(?:[.:]\s*-|[.:\-–—])?\s*"

TITLE = re.compile(rf"^T[ÍI]TULO\s+(?P<number>{ROMAN_OR_NUMBER})\b{SEP}(?P<heading>.*)$")
CHAPTER = re.compile(rf"^CAP[ÍI]TULO\s+(?P<number>{ROMAN_OR_NUMBER})\b{SEP}(?P<heading>.*)$")
SECTION = re.compile(rf"^SECCI[ÓO]N\s+(?P<number>{ROMAN_OR_NUMBER})\b{SEP}(?P<heading>.*)$")
ARTICLE = re.compile(
    r"^(?:Art\.|Art[íi]culo|ART\.|ART[ÍI]CULO)\s*(?P<number>\d+(?:\.\d+)*(?:\s?(?:bis|ter|quater|[A-Z])\b)?)"
    r"\s*(?:\.\s*-|\.-|\.|-|–|—|:)?\s*(?P<rest>.*)$"
)
PROVISIONS = re.compile(
    r"^DISPOSICI[ÓO]N(?:ES)?\s+(?P<kind>GENERAL|TRANSITORIA|REFORMATORIA|DEROGATORIA|FINAL)(?:ES|S)?"
    r"(?:\s+(?P<number>[ÚU]NICA|PRIMERA|SEGUNDA|TERCERA|CUARTA|QUINTA|SEXTA|S[ÉE]PTIMA|OCTAVA|NOVENA|D[ÉE]CIMA))?"
    r"\s*(?:\.\s*-|\.-|:|\.|-|–|—)?\s*(?P<rest>.*)$"
)
ORDINAL = re.compile(
    r"^(?P<number>(?:[ÚU]NICA|PRIMERA|SEGUNDA|TERCERA|CUARTA|QUINTA|SEXTA|S[ÉE]PTIMA|OCTAVA|NOVENA|D[ÉE]CIMA"
    r"(?:\s+(?:PRIMERA|SEGUNDA|TERCERA|CUARTA|QUINTA|SEXTA|S[ÉE]PTIMA|OCTAVA|NOVENA))?))"
    r"\s*(?:\.\s*-|\.-|:|\.|-|–|—)\s*(?P<rest>.*)$"
)
# "Objeto.- El texto": a short heading before the first ".-" of an article.
ARTICLE_HEADING = re.compile(r"^(?P<heading>[^.\n]{1,150}?)\s*\.\s*-\s*(?P<body>.*)$", re.S)

PROVISION_KINDS = {
    "GENERAL": "general",
    "TRANSITORIA": "transitory",
    "REFORMATORIA": "reformatory",
    "DEROGATORIA": "derogatory",
    "FINAL": "final",
}


@dataclass
class ParsedUnit:
    kind: str
    number: str = ""
    heading: str = ""
    lines: list[str] = field(default_factory=list)

    @property
    def body(self) -> str:
        text = "\n".join(self.lines).strip()
        return re.sub(r"\n{3,}", "\n\n", text)


def _clean_number(number: str) -> str:
    return re.sub(r"\s+", " ", number.strip()).upper()


def parse(text: str) -> list[ParsedUnit]:
    units: list[ParsedUnit] = []
    provision_kind = ""  # inside a DISPOSICIONES … block: the kind its items take
    awaiting_heading: ParsedUnit | None = None  # a TÍTULO/CAPÍTULO line without its name

    def start(unit: ParsedUnit) -> ParsedUnit:
        units.append(unit)
        return unit

    current: ParsedUnit | None = None
    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if not line:
            if current is not None and current.lines and current.lines[-1] != "":
                current.lines.append("")
            continue
        if awaiting_heading is not None:
            awaiting_heading.heading = line
            awaiting_heading = None
            continue
        for pattern, kind in ((TITLE, "title"), (CHAPTER, "chapter"), (SECTION, "section")):
            match = pattern.match(line)
            if match:
                current = start(ParsedUnit(kind, _clean_number(match["number"]), match["heading"].strip()))
                provision_kind = ""
                if not current.heading:
                    awaiting_heading = current
                break
        else:
            match = ARTICLE.match(line)
            if match:
                provision_kind = ""
                current = start(ParsedUnit("article", _clean_number(match["number"]).lower().replace(" ", "-")))
                rest = match["rest"].strip()
                found = ARTICLE_HEADING.match(rest)
                if found and found["body"].strip():
                    current.heading = found["heading"].strip()
                    rest = found["body"].strip()
                if rest:
                    current.lines.append(rest)
                continue
            match = PROVISIONS.match(line)
            if match:
                kind = PROVISION_KINDS[match["kind"]]
                rest = match["rest"].strip()
                if match["number"] or rest:
                    number = _clean_number(match["number"] or "ÚNICA")
                    current = start(ParsedUnit(kind, number.replace("UNICA", "ÚNICA")))
                    if rest:
                        current.lines.append(rest)
                    provision_kind = kind
                else:
                    provision_kind = kind
                    current = None
                continue
            match = ORDINAL.match(line) if provision_kind else None
            if match:
                current = start(ParsedUnit(provision_kind, _clean_number(match["number"])))
                if match["rest"].strip():
                    current.lines.append(match["rest"].strip())
                continue
            if current is None:
                current = start(ParsedUnit("preamble")) if not units or units[-1].kind != "preamble" else units[-1]
            current.lines.append(line)
    return units


def render(units) -> str:
    """Plain text the parser reads back into the same units (used by tests and the demo)."""
    headings = {
        "general": "DISPOSICIONES GENERALES",
        "transitory": "DISPOSICIONES TRANSITORIAS",
        "reformatory": "DISPOSICIONES REFORMATORIAS",
        "derogatory": "DISPOSICIONES DEROGATORIAS",
        "final": "DISPOSICIONES FINALES",
    }
    out: list[str] = []
    block = ""
    for unit in units:
        kind, number, heading, body = unit.kind, unit.number, unit.heading, unit.body
        if kind == "preamble":
            out += [body, ""]
        elif kind in ("title", "chapter", "section"):
            word = {"title": "TÍTULO", "chapter": "CAPÍTULO", "section": "SECCIÓN"}[kind]
            out += [f"{word} {number}", heading, ""]
            block = ""
        elif kind == "article":
            lead = f"Art. {number}.- " + (f"{heading}.- " if heading else "")
            out += [lead + body, ""]
            block = ""
        else:
            if block != kind:
                out += [headings[kind], ""]
                block = kind
            out += [f"{number}.- {body}", ""]
    return "\n".join(out).strip() + "\n"
