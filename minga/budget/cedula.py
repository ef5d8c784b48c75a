"""Reading and checking a cédula presupuestaria (CSV or XLSX as GAD financial systems export
it): finding the header row, matching headers to fields (saved mapping first, then the usual
names, letter codes such as "Devengado (f)" ignored), reading Spanish-locale amounts, and
checking every row against the classifier and the identities of the budget stages.

Nothing here touches the database: the caller passes the classifier it knows and gets back
the lines, the classifier headings the file carries and a report of every problem."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core import xlsx

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000
# An XLSX cédula may not expand past these (core/xlsx.py checks them before opening it): a
# cédula has a few dozen columns, and its rows are kept whole for the review screen.
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
XLSX_MAX_COLUMNS = 200
XLSX_MAX_CELLS = 5_000_000
HEADER_SEARCH_ROWS = 30
CENT = Decimal("0.01")

AMOUNT_FIELDS = ("asignado", "reformas", "codificado", "certificado", "comprometido", "devengado", "pagado")
# Income lines have no certification or commitment stage.
EXPENSE_ONLY_FIELDS = ("certificado", "comprometido")
TEXT_FIELDS = (
    "partida",
    "description",
    "item",
    "programme_code",
    "programme_name",
    "project_code",
    "project_name",
    "unit_name",
    "funding_code",
    "funding_name",
    "dpa_code",
    "location_name",
)

FIELD_LABELS = {
    "partida": gettext_lazy("Partida (full code)"),
    "description": gettext_lazy("Description"),
    "item": gettext_lazy("Classifier item (6 digits)"),
    "programme_code": gettext_lazy("Programme code"),
    "programme_name": gettext_lazy("Programme"),
    "project_code": gettext_lazy("Project code"),
    "project_name": gettext_lazy("Project"),
    "unit_name": gettext_lazy("Executing unit"),
    "funding_code": gettext_lazy("Funding source code"),
    "funding_name": gettext_lazy("Funding source"),
    "dpa_code": gettext_lazy("DPA code"),
    "location_name": gettext_lazy("Location"),
    "asignado": gettext_lazy("Asignado (initial budget)"),
    "reformas": gettext_lazy("Reformas"),
    "codificado": gettext_lazy("Codificado"),
    "certificado": gettext_lazy("Certificado"),
    "comprometido": gettext_lazy("Comprometido"),
    "devengado": gettext_lazy("Devengado"),
    "pagado": gettext_lazy("Pagado / recaudado"),
}
FIELDS = tuple(FIELD_LABELS)
REQUIRED_FIELDS = ("partida", "description", "asignado", "reformas", "codificado", "devengado", "pagado")

# Headers as GAD systems print them, normalised (lowercase, no accents, no letter codes).
SYNONYMS = {
    "partida": [
        "codigo",
        "cod",
        "partida",
        "partida presupuestaria",
        "codigo partida",
        "cuenta",
        "codigo de la cuenta",
        "codigo de la cuenta subcuenta",
        "codigo cuenta",
    ],
    "description": ["nombre", "descripcion", "denominacion", "concepto", "nombre partida", "detalle"],
    "item": ["item", "item presupuestario", "clasificador", "codigo item"],
    "programme_code": ["programa", "codigo programa", "cod programa"],
    "programme_name": ["nombre programa", "nombre del programa", "descripcion programa"],
    "project_code": ["proyecto", "codigo proyecto", "actividad", "codigo actividad"],
    "project_name": ["nombre proyecto", "nombre del proyecto", "descripcion proyecto"],
    "unit_name": ["unidad ejecutora", "unidad", "dependencia", "direccion"],
    "funding_code": ["fuente", "codigo fuente", "fuente de financiamiento", "fuente financiamiento"],
    "funding_name": ["nombre fuente", "nombre de la fuente", "descripcion fuente"],
    "dpa_code": ["dpa", "codigo dpa", "geografico", "ubicacion geografica", "codigo geografico"],
    "location_name": ["ubicacion", "territorio", "localidad", "nombre ubicacion"],
    "asignado": [
        "asignacion",
        "asignacion inicial",
        "asignado",
        "monto asignado",
        "presupuesto inicial",
        "inicial",
    ],
    "reformas": [
        "reformas",
        "reforma",
        "modificado",
        "modificaciones",
        "monto modificado",
        "monto modificado reformas",
    ],
    "codificado": ["codificado", "monto codificado", "presupuesto codificado"],
    "certificado": ["certificaciones", "certificado", "monto certificado", "certificacion"],
    "comprometido": ["compromisos", "comprometido", "monto comprometido", "compromiso"],
    "devengado": ["devengado", "monto devengado", "devengados"],
    "pagado": ["pagado", "pagos", "monto pagado", "recaudado", "recaudacion", "monto recaudado"],
}
_HEADER_TO_FIELD = {name: key for key, names in SYNONYMS.items() for name in names}
# A partida code: digits and letters with dots, dashes or underscores between them.
PARTIDA_PATTERN = re.compile(r"^[0-9A-Za-z](?:[0-9A-Za-z._\-]*[0-9A-Za-z])?$")
HEADING_PATTERN = re.compile(r"^\d(?:[.\-\s]?\d)*$")


def normalise_header(text) -> str:
    """ "Devengado (f)" → "devengado"; "Saldo por devengar (a−f)" → "saldo por devengar"."""
    value = unicodedata.normalize("NFKD", str(text or "")).encode("ascii", "ignore").decode().lower()
    value = re.sub(r"\([^)]*\)", " ", value)
    value = re.sub(r"[^a-z0-9]+", " ", value)
    return " ".join(value.split())


# -- Reading files ------------------------------------------------------------------------


class CedulaFileError(Exception):
    """The file cannot be read as a table: the message says why, in the reader's language."""


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]  # cells as text
    header_row: int  # 1-based row number of the header in the file


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        # A spreadsheet number: binary noise is rounded away here, before the text is kept.
        return str(Decimal(repr(value)).quantize(Decimal("0.000001"))).rstrip("0").rstrip(".") or "0"
    if isinstance(value, int | Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise CedulaFileError(_("The file is not readable text (UTF-8 or Windows-1252)."))


def _csv_rows(data: bytes) -> list[list[str]]:
    text = _decode(data)
    if "\x00" in text:
        raise CedulaFileError(_("The file looks binary, not a CSV table."))
    sample = text[:20000]
    counts = {delimiter: sample.count(delimiter) for delimiter in (";", ",", "\t", "|")}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter] == 0:
        raise CedulaFileError(_("No column separator found: save the cédula as CSV with ; or , between columns."))
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return [[cell.strip() for cell in row] for row in reader]
    except csv.Error as error:
        raise CedulaFileError(_("The CSV file is malformed: %(error)s") % {"error": error}) from error


def _xlsx_rows(data: bytes) -> list[list[str]]:
    rows = []
    try:
        for _number, row in xlsx.iter_rows(
            io.BytesIO(data),
            max_uncompressed=XLSX_MAX_UNCOMPRESSED,
            max_columns=XLSX_MAX_COLUMNS,
            max_cells=XLSX_MAX_CELLS,
        ):
            rows.append([_cell_text(value) for value in row])
            if len(rows) > MAX_ROWS + HEADER_SEARCH_ROWS:
                break
    except xlsx.XlsxError as error:
        if error.code == "invalid_xlsx":
            raise CedulaFileError(_("The XLSX file could not be opened: is it a real Excel workbook?")) from error
        raise CedulaFileError(error.user_message) from error
    return rows


def check_upload(fileobj, filename: str, size: int) -> None:
    """The cheap checks of an upload, before it is stored and read by a job: its size, its
    kind by name and first bytes, and for a workbook its zip directory (a "zip bomb" is refused
    before anything is inflated). Raises CedulaFileError; leaves the file at its start."""
    if not size:
        raise CedulaFileError(_("The file is empty."))
    if size > MAX_BYTES:
        raise CedulaFileError(_("The file is larger than 20 MB."))
    fileobj.seek(0)
    is_zip = fileobj.read(4) == b"PK\x03\x04"
    fileobj.seek(0)
    lower = (filename or "").lower()
    if lower.endswith(".xlsx") or is_zip:
        if not is_zip:
            raise CedulaFileError(_("The file is named .xlsx but is not an Excel workbook."))
        try:
            xlsx.check_archive(fileobj, max_uncompressed=XLSX_MAX_UNCOMPRESSED)
        except xlsx.XlsxError as error:
            if error.code == "invalid_xlsx":
                raise CedulaFileError(_("The XLSX file could not be opened: is it a real Excel workbook?")) from error
            raise CedulaFileError(error.user_message) from error
    elif not lower.endswith((".csv", ".txt", ".tsv")):
        raise CedulaFileError(_("Upload the cédula as CSV or XLSX."))


def read_table(data: bytes, filename: str) -> Table:
    if not data:
        raise CedulaFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise CedulaFileError(_("The file is larger than 20 MB."))
    is_zip = data[:4] == b"PK\x03\x04"
    lower = (filename or "").lower()
    if lower.endswith(".xlsx") or is_zip:
        if not is_zip:
            raise CedulaFileError(_("The file is named .xlsx but is not an Excel workbook."))
        rows = _xlsx_rows(data)
    elif lower.endswith((".csv", ".txt", ".tsv")):
        rows = _csv_rows(data)
    else:
        raise CedulaFileError(_("Upload the cédula as CSV or XLSX."))
    header_index = _find_header(rows)
    if header_index is None:
        raise CedulaFileError(
            _(
                "No header row found: the first rows must contain column names such as CÓDIGO, "
                "ASIGNACIÓN, CODIFICADO, DEVENGADO."
            )
        )
    headers = [cell.strip() for cell in rows[header_index]]
    while headers and not headers[-1]:
        headers.pop()
    width = len(headers)
    body = []
    for row in rows[header_index + 1 :]:
        cells = (row + [""] * width)[:width]
        body.append(cells)
    while body and not any(body[-1]):
        body.pop()
    if len(body) > MAX_ROWS:
        raise CedulaFileError(_("The file has more than %(count)s rows.") % {"count": f"{MAX_ROWS:,}"})
    return Table(headers=headers, rows=body, header_row=header_index + 1)


def _find_header(rows: list[list[str]]) -> int | None:
    """The first row (of the first few) where at least three cells are known field names:
    exports often start with the government's name and the report date."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {_HEADER_TO_FIELD.get(normalise_header(cell)) for cell in row} - {None}
        if len(known) >= 3:
            return index
    return None


# -- Mapping headers to fields ------------------------------------------------------------


def detect_mapping(headers: list[str], saved: dict | None = None) -> dict[str, str]:
    """Field → header. A saved mapping wins for the headers this file has; the rest is
    recognised from the usual names. Each header serves one field at most."""
    mapping: dict[str, str] = {}
    present = set(headers)
    for key, header in (saved or {}).items():
        if key in FIELD_LABELS and header in present and header not in mapping.values():
            mapping[key] = header
    for header in headers:
        key = _HEADER_TO_FIELD.get(normalise_header(header))
        if key and key not in mapping and header not in mapping.values():
            mapping[key] = header
    return mapping


def mapping_problems(mapping: dict[str, str], headers: list[str], scope: str) -> list[dict]:
    problems = []
    present = set(headers)
    used: dict[str, str] = {}
    for key, header in mapping.items():
        if key not in FIELD_LABELS:
            continue
        if header not in present:
            problems.append({"code": "header_missing", "params": {"field": key, "header": header}})
        elif header in used:
            problems.append({"code": "header_twice", "params": {"field": key, "other": used[header], "header": header}})
        else:
            used[header] = key
    required = list(REQUIRED_FIELDS)
    if scope != "income":
        required += list(EXPENSE_ONLY_FIELDS)
    for key in required:
        if not mapping.get(key):
            problems.append({"code": "field_unmapped", "params": {"field": key}})
    return problems


# -- Values -------------------------------------------------------------------------------


class AmountError(ValueError):
    pass


def parse_amount(text: str) -> Decimal | None:
    """Amounts as Ecuadorian exports print them: 1.234,56 · 1234,56 · 1,234.56 · 1234.56 ·
    (1.234,56) or -1.234,56 for negatives · with or without "USD"/"$". Empty → None.
    A single dot followed by exactly three digits is read as thousands (Spanish locale)."""
    value = (text or "").strip().replace("\u00a0", "").replace(" ", "")
    if value in ("", "-", "—"):
        return None
    value = re.sub(r"^(usd|\$)", "", value, flags=re.IGNORECASE)
    value = re.sub(r"(usd|\$)$", "", value, flags=re.IGNORECASE)
    negative = False
    if value.startswith("(") and value.endswith(")"):
        negative, value = True, value[1:-1]
    if value.startswith("-"):
        negative, value = not negative, value[1:]
    if not value or not re.fullmatch(r"[0-9.,]+", value):
        raise AmountError(text)
    if "," in value and "." in value:
        decimal_mark = "," if value.rfind(",") > value.rfind(".") else "."
        thousands = "." if decimal_mark == "," else ","
        value = value.replace(thousands, "").replace(decimal_mark, ".")
    elif "," in value:
        value = value.replace(",", "") if value.count(",") > 1 else value.replace(",", ".")
    elif value.count(".") > 1 or re.fullmatch(r"\d{1,3}\.\d{3}", value):
        value = value.replace(".", "")
    try:
        amount = Decimal(value)
    except InvalidOperation as error:
        raise AmountError(text) from error
    if amount != amount.quantize(CENT, rounding=ROUND_HALF_UP):
        raise AmountError(text)
    amount = amount.quantize(CENT)
    return -amount if negative else amount


def item_from_partida(partida: str) -> str:
    """The six-digit classifier ítem inside a partida: the whole code when it has six digits
    (73.08.11, 730811), otherwise its one segment of six digits (1.1.730811.001)."""
    digits = re.sub(r"\D", "", partida)
    if len(digits) == 6 and re.fullmatch(r"[\d.\-\s]+", partida):
        return digits
    segments = [segment for segment in re.split(r"[.\-_\s/]+", partida) if re.fullmatch(r"\d{6}", segment)]
    return segments[0] if len(segments) == 1 else ""


# -- Checking the rows --------------------------------------------------------------------


@dataclass
class Classifier:
    """What the checks need to know of the government's classifier."""

    natures: dict[str, tuple[str, str]]  # digit -> (direction, side)
    names: dict[str, str]  # code -> name, every level


@dataclass
class Result:
    lines: list[dict] = field(default_factory=list)
    headings: dict[str, str] = field(default_factory=dict)  # classifier code -> name, from the file
    errors: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    def report(self, *, header_row: int) -> dict:
        totals = {side: {name: "0.00" for name in AMOUNT_FIELDS} for side in ("income", "expense")}
        for line in self.lines:
            bucket = totals[line["side"]]
            for name in AMOUNT_FIELDS:
                if line[name] is not None:
                    bucket[name] = str(Decimal(bucket[name]) + Decimal(line[name]))
        return {
            "errors": self.errors,
            "warnings": self.warnings,
            "line_count": len(self.lines),
            "heading_count": len(self.headings),
            "header_row": header_row,
            "totals": totals,
            "sides": sorted({line["side"] for line in self.lines}),
        }


def _problem(code: str, *, row: int | None = None, column: str = "", field_name: str = "", **params) -> dict:
    return {"code": code, "row": row, "column": column, "field": field_name, "params": params}


def check_rows(
    table_headers: list[str],
    rows: list[list[str]],
    *,
    mapping: dict[str, str],
    scope: str,
    classifier: Classifier,
    header_row: int = 1,
    progress=None,
) -> Result:
    """Every problem of every row, in file order; the lines are returned as plain dicts with
    amounts as strings (JSON-ready). ``progress("checking", done, total)`` hears the rows
    checked, every 500."""
    result = Result()
    for problem in mapping_problems(mapping, table_headers, scope):
        result.errors.append(_problem(problem["code"], **problem["params"]))
    if result.errors:
        return result
    index = {key: table_headers.index(header) for key, header in mapping.items() if key in FIELD_LABELS}
    seen: dict[str, int] = {}
    unnamed: set[str] = set()
    for offset, row in enumerate(rows):
        if progress is not None and offset % 500 == 0:
            progress("checking", offset, len(rows))
        number = header_row + 1 + offset
        if not any(cell.strip() for cell in row):
            continue
        cells = {key: row[position].strip() for key, position in index.items()}
        line = _check_row(cells, number=number, mapping=mapping, scope=scope, classifier=classifier, result=result)
        if line is None:
            continue
        if line["partida"] in seen:
            result.errors.append(
                _problem(
                    "partida_duplicate",
                    row=number,
                    column=mapping["partida"],
                    field_name="partida",
                    partida=line["partida"],
                    first_row=seen[line["partida"]],
                )
            )
            continue
        seen[line["partida"]] = number
        result.lines.append(line)
        for code in (line["group_code"], line["subgroup_code"]):
            if code not in classifier.names and code not in result.headings:
                unnamed.add(code)
    for code in sorted(unnamed):
        result.warnings.append(_problem("classifier_unnamed", classifier_code=code))
    if not result.lines and not result.errors:
        result.errors.append(_problem("no_lines"))
    if progress is not None:
        progress("checking", len(rows), len(rows))
    return result


def _check_row(cells, *, number, mapping, scope, classifier: Classifier, result: Result) -> dict | None:
    errors_before = len(result.errors)

    def error(code, key="", **params):
        result.errors.append(_problem(code, row=number, column=mapping.get(key, ""), field_name=key, **params))

    partida = re.sub(r"\s+", ".", cells.get("partida", ""))
    description = cells.get("description", "")
    if not partida:
        error("partida_missing", "partida")
        return None
    # A row coded 7, 73 or 7308 is a heading of the classifier (a subtotal): its name is kept,
    # its amounts are the sum of the items below and are not stored twice.
    digits = re.sub(r"\D", "", partida)
    if HEADING_PATTERN.fullmatch(partida) and len(digits) in (1, 2, 4) and not cells.get("item"):
        if description:
            result.headings[digits] = description[:250]
        return None
    if not PARTIDA_PATTERN.fullmatch(partida) or len(partida) > 80:
        error("partida_invalid", "partida", partida=partida)
        return None
    item = re.sub(r"\D", "", cells["item"]) if cells.get("item") else item_from_partida(partida)
    if len(item) != 6:
        error("item_missing", "item" if cells.get("item") else "partida", partida=partida, item=cells.get("item", ""))
        return None
    nature = classifier.natures.get(item[0])
    if nature is None:
        error("nature_unknown", "item" if cells.get("item") else "partida", partida=partida, nature=item[0])
        return None
    direction, side = nature
    if scope != "both" and side != scope:
        error("side_mismatch", "partida", partida=partida, nature=item[0], side=side, scope=scope)
    if not description:
        error("description_missing", "description", partida=partida)
    amounts: dict[str, Decimal | None] = {}
    for key in AMOUNT_FIELDS:
        if key not in mapping:
            amounts[key] = None
            continue
        try:
            amounts[key] = parse_amount(cells.get(key, ""))
        except AmountError:
            error("amount_invalid", key, value=cells.get(key, ""))
            amounts[key] = None
            continue
        if amounts[key] is None and (key in REQUIRED_FIELDS or (side == "expense" and key in EXPENSE_ONLY_FIELDS)):
            error("amount_missing", key)
        elif amounts[key] is not None and amounts[key] < 0 and key != "reformas":
            error("amount_negative", key, value=str(amounts[key]))
    if len(result.errors) == errors_before:
        _check_identities(amounts, side=side, partida=partida, error=error)
    dpa = re.sub(r"\D", "", cells.get("dpa_code", ""))
    if cells.get("dpa_code") and len(dpa) not in (2, 4, 6):
        error("dpa_invalid", "dpa_code", value=cells.get("dpa_code", ""))
    if len(result.errors) != errors_before:
        return None
    return {
        "partida": partida,
        "description": description[:300],
        "direction": direction,
        "side": side,
        "item_code": item,
        "nature_code": item[0],
        "group_code": item[:2],
        "subgroup_code": item[:4],
        "programme_code": cells.get("programme_code", "")[:40],
        "programme_name": cells.get("programme_name", "")[:250],
        "project_code": cells.get("project_code", "")[:40],
        "project_name": cells.get("project_name", "")[:250],
        "unit_name": cells.get("unit_name", "")[:250],
        "funding_code": cells.get("funding_code", "")[:20],
        "funding_name": cells.get("funding_name", "")[:250],
        "dpa_code": dpa,
        "location_name": cells.get("location_name", "")[:200],
        **{key: None if value is None else str(value) for key, value in amounts.items()},
    }


def _check_identities(amounts, *, side: str, partida: str, error) -> None:
    """codificado = asignado + reformas; pagado ≤ devengado ≤ comprometido ≤ certificado ≤
    codificado, over the stages the line has. Collections above the forecast are legal, so an
    income line may accrue more than its codificado."""
    asignado, reformas, codificado = amounts["asignado"], amounts["reformas"], amounts["codificado"]
    if asignado + reformas != codificado:
        error(
            "codificado_identity",
            "codificado",
            partida=partida,
            asignado=str(asignado),
            reformas=str(reformas),
            codificado=str(codificado),
            expected=str(asignado + reformas),
        )
    chain = [(key, amounts[key]) for key in ("pagado", "devengado", "comprometido", "certificado", "codificado")]
    chain = [(key, value) for key, value in chain if value is not None]
    for (lower_key, lower), (upper_key, upper) in zip(chain, chain[1:], strict=False):
        if side == "income" and upper_key == "codificado":
            continue
        if lower > upper:
            error(
                "stage_order",
                lower_key,
                partida=partida,
                lower=lower_key,
                lower_value=str(lower),
                upper=upper_key,
                upper_value=str(upper),
            )


# -- Messages -----------------------------------------------------------------------------


def describe(problem: dict) -> str:
    """The problem in the reader's language."""
    params = dict(problem.get("params") or {})
    for key in ("asignado", "reformas", "codificado", "expected", "lower_value", "upper_value"):
        if params.get(key) not in (None, ""):
            params[key] = number_format(Decimal(params[key]), decimal_pos=2, use_l10n=True, force_grouping=True)
    for key in ("field", "other", "lower", "upper"):
        if key in params and params[key] in FIELD_LABELS:
            params[key] = str(FIELD_LABELS[params[key]])
    messages = {
        "header_missing": _("The column “%(header)s” chosen for %(field)s is not in the file."),
        "header_twice": _("The column “%(header)s” is chosen for both %(field)s and %(other)s."),
        "field_unmapped": _("No column is chosen for %(field)s: choose the column that holds it."),
        "partida_missing": _("The row has no partida code."),
        "partida_invalid": _(
            "The partida “%(partida)s” has characters a partida cannot have (use digits and letters "
            "separated by dots or dashes)."
        ),
        "partida_duplicate": _("The partida %(partida)s appears again (first on row %(first_row)s)."),
        "item_missing": _(
            "No six-digit classifier item found in the partida “%(partida)s”: choose a column for the "
            "classifier item, or use codes such as 730811 or 1.1.730811.001."
        ),
        "nature_unknown": _(
            "Unknown classifier code: %(partida)s starts with %(nature)s, which is not a nature of the budget "
            "classifier (income 1, 2; financing 3, 9; expense 5, 6, 7, 8)."
        ),
        "side_mismatch": _(
            "The partida %(partida)s (nature %(nature)s) belongs to the other cédula: this import was "
            "declared as the %(scope)s cédula."
        ),
        "description_missing": _("The partida %(partida)s has no description."),
        "amount_invalid": _("“%(value)s” is not an amount (write it as 1.234,56 or 1234.56)."),
        "amount_missing": _("The amount is missing."),
        "amount_negative": _("The amount %(value)s is negative; only reformas may be."),
        "codificado_identity": _(
            "Codificado %(codificado)s is not asignado %(asignado)s + reformas %(reformas)s (= %(expected)s)."
        ),
        "stage_order": _("%(lower)s (%(lower_value)s) is greater than %(upper)s (%(upper_value)s)."),
        "dpa_invalid": _("“%(value)s” is not a DPA code (2, 4 or 6 digits)."),
        "no_lines": _("The file has no budget lines under its header row."),
        "file_unreadable": "%(message)s",
        "classifier_unnamed": _(
            "The classifier code %(classifier_code)s has no name yet: it is shown by its code until you name it."
        ),
    }
    if "scope" in params:
        params["scope"] = str(_("income") if params["scope"] == "income" else _("expense"))
    template = messages.get(problem.get("code"), "%(code)s")
    try:
        return template % {"code": problem.get("code"), **params}
    except (KeyError, ValueError, TypeError):
        return str(problem.get("code"))
