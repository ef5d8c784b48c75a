"""Exports of a budget year at one cut-off: the LOTAIP numeral-6 dataset (the 14 fields the
Defensoría del Pueblo checks) with its metadatos and diccionario files, a Fiscal Data Package
descriptor, and the full detail (every classification and stage) as CSV and XLSX.

The dataset files are in Spanish whatever the reader's language: they are the government's
legal publication."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from openpyxl import Workbook

from minga.core.exports import safe_cell
from minga.core.opendata import OpenDataColumn

from .models import CutOff, LineExecution

CATEGORY = {"income": "Ingresos", "expense": "Gastos", "financing": "Financiamiento"}

LOTAIP_COLUMNS = (
    OpenDataColumn(
        "codigo", "Código de la cuenta/subcuenta", "Partida presupuestaria completa, como la imprime la cédula.", "text"
    ),
    OpenDataColumn(
        "categoria", "Categoría", "Ingresos, Gastos o Financiamiento, según el primer dígito del clasificador.", "text"
    ),
    OpenDataColumn("descripcion", "Descripción", "Nombre de la partida.", "text"),
    OpenDataColumn(
        "monto_asignado", "Monto asignado", "Asignación inicial aprobada por el órgano legislativo.", "number", "USD"
    ),
    OpenDataColumn(
        "monto_modificado",
        "Monto modificado (reformas)",
        "Suma de traspasos, suplementos y reducciones.",
        "number",
        "USD",
    ),
    OpenDataColumn(
        "monto_codificado", "Monto codificado", "Presupuesto vigente: asignado + reformas.", "number", "USD"
    ),
    OpenDataColumn(
        "monto_certificado",
        "Monto certificado",
        "Reservado por certificaciones presupuestarias (solo gastos).",
        "number",
        "USD",
    ),
    OpenDataColumn(
        "monto_comprometido",
        "Monto comprometido",
        "Comprometido por contratos u órdenes firmados (solo gastos).",
        "number",
        "USD",
    ),
    OpenDataColumn(
        "monto_devengado",
        "Monto devengado",
        "Obligación reconocida por obras, bienes o servicios recibidos.",
        "number",
        "USD",
    ),
    OpenDataColumn("monto_pagado", "Monto pagado", "Pagado (gastos) o recaudado (ingresos).", "number", "USD"),
    OpenDataColumn("saldo_por_comprometer", "Saldo por comprometer", "Codificado − comprometido.", "number", "USD"),
    OpenDataColumn("saldo_por_devengar", "Saldo por devengar", "Codificado − devengado.", "number", "USD"),
    OpenDataColumn("saldo_por_pagar", "Saldo por pagar", "Devengado − pagado.", "number", "USD"),
    OpenDataColumn("porcentaje_ejecucion", "Porcentaje de ejecución", "Devengado / codificado × 100.", "number", "%"),
)

DETAIL_HEADER = (
    "partida",
    "descripcion",
    "categoria",
    "naturaleza",
    "grupo",
    "subgrupo",
    "item",
    "programa_codigo",
    "programa",
    "proyecto_codigo",
    "proyecto",
    "unidad_ejecutora",
    "fuente_codigo",
    "fuente",
    "dpa",
    "ubicacion",
    "asignado",
    "reformas",
    "codificado",
    "certificado",
    "comprometido",
    "devengado",
    "pagado",
    "saldo_por_comprometer",
    "saldo_por_devengar",
    "saldo_por_pagar",
    "porcentaje_ejecucion",
    "tasa_compromiso",
    "tasa_pago",
    "corte",
)


def executions(cutoff: CutOff):
    return LineExecution.objects.filter(cutoff=cutoff).select_related("line").order_by("line__partida")


def lotaip_rows(cutoff: CutOff):
    for execution in executions(cutoff).iterator(chunk_size=1000):
        line, stages = execution.line, execution.stages
        yield [
            line.partida,
            CATEGORY[line.direction],
            line.description,
            stages.asignado,
            stages.reformas,
            stages.codificado,
            stages.certificado,
            stages.comprometido,
            stages.devengado,
            stages.pagado,
            stages.saldo_por_comprometer,
            stages.saldo_por_devengar,
            stages.saldo_por_pagar,
            stages.execution_rate,
        ]


def detail_rows(cutoff: CutOff):
    for execution in executions(cutoff).iterator(chunk_size=1000):
        line, s = execution.line, execution.stages
        yield [
            line.partida,
            line.description,
            CATEGORY[line.direction],
            line.nature_code,
            line.group_code,
            line.subgroup_code,
            line.item_code,
            line.programme_code,
            line.programme_name,
            line.project_code,
            line.project_name,
            line.unit_name,
            line.funding_code,
            line.funding_name,
            line.dpa_code,
            line.location_name,
            s.asignado,
            s.reformas,
            s.codificado,
            s.certificado,
            s.comprometido,
            s.devengado,
            s.pagado,
            s.saldo_por_comprometer,
            s.saldo_por_devengar,
            s.saldo_por_pagar,
            s.execution_rate,
            s.commitment_rate,
            s.payment_rate,
            cutoff.key,
        ]


def _csv_bytes(header, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def lotaip_filename(cutoff: CutOff) -> str:
    return f"lotaip-6-presupuesto-{cutoff.key}.csv"


def metadata_rows(government, cutoff: CutOff, *, unit: str = "Dirección Financiera") -> list[list[str]]:
    """The DPE "metadatos" file: what the dataset is, who owns it and when it was cut off."""
    return [
        ["Campo", "Valor"],
        ["Título", f"Presupuesto y ejecución presupuestaria {cutoff.budget_year.year}"],
        [
            "Descripción",
            "Cédula presupuestaria de ingresos, gastos y financiamiento por partida: asignado, reformas, codificado, "
            "certificado, comprometido, devengado, pagado, saldos y porcentaje de ejecución (LOTAIP art. 19, numeral 6).",
        ],
        ["Institución", government.name],
        ["Unidad poseedora de la información", unit],
        ["Fecha de corte", f"{cutoff.key} (acumulado desde enero)"],
        ["Fecha de publicación", cutoff.published_at.date().isoformat() if cutoff.published_at else ""],
        ["Periodicidad", "Mensual"],
        ["Formato", "CSV (UTF-8, separador coma)"],
        ["Licencia", "Creative Commons Atribución 4.0 (CC BY 4.0)"],
        ["Archivo de datos", lotaip_filename(cutoff)],
        ["Diccionario", f"lotaip-6-diccionario-{cutoff.key}.csv"],
    ]


def dictionary_rows() -> list[list[str]]:
    rows = [["Campo", "Nombre", "Descripción", "Tipo", "Unidad"]]
    types = {"text": "Texto", "number": "Número decimal"}
    rows += [[c.name, c.label, c.description, types.get(c.type, c.type), c.unit] for c in LOTAIP_COLUMNS]
    return rows


def metadata_csv(government, cutoff: CutOff) -> bytes:
    rows = metadata_rows(government, cutoff)
    return _csv_bytes(rows[0], rows[1:])


def dictionary_csv() -> bytes:
    rows = dictionary_rows()
    return _csv_bytes(rows[0], rows[1:])


def lotaip_csv(cutoff: CutOff) -> bytes:
    return _csv_bytes([c.name for c in LOTAIP_COLUMNS], lotaip_rows(cutoff))


# Fiscal Data Package: asignado → approved, codificado → adjusted, devengado → executed
# (accrual), pagado → executed (cash); the Ecuadorian names stay the primary vocabulary.
FDP_MEASURES = (
    ("monto_asignado", "approved"),
    ("monto_codificado", "adjusted"),
    ("monto_devengado", "executed"),
    ("monto_pagado", "executed"),
)


def fiscal_data_package(government, cutoff: CutOff) -> dict:
    year = cutoff.budget_year.year
    fields = []
    for column in LOTAIP_COLUMNS:
        spec = {"name": column.name, "title": column.label, "description": column.description}
        spec["type"] = "number" if column.type == "number" else "string"
        if column.name == "codigo":
            spec["columnType"] = "economic-classification:generic:code"
        elif column.name == "descripcion":
            spec["columnType"] = "economic-classification:generic:label"
        elif column.name == "categoria":
            spec["columnType"] = "direction"
        elif column.unit == "USD":
            spec["columnType"] = "value"
            spec["decimalChar"] = "."
        fields.append(spec)
    return {
        "name": f"{government.slug}-presupuesto-{year}",
        "title": f"Presupuesto y ejecución {year} · {government.name}",
        "description": f"Ejecución presupuestaria por partida al corte {cutoff.key}.",
        "profile": "fiscal-data-package",
        "countryCode": "EC",
        "fiscalPeriod": {"start": f"{year}-01-01", "end": f"{year}-12-31"},
        "license": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0"},
        "resources": [
            {
                "name": f"lotaip-6-{year}",
                "path": lotaip_filename(cutoff),
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": {"fields": fields, "primaryKey": ["codigo"]},
            }
        ],
        "model": {
            "measures": {
                name.replace("monto_", ""): {"source": name, "currency": "USD", "phase": phase}
                for name, phase in FDP_MEASURES
            },
            "dimensions": {
                "partida": {
                    "dimensionType": "classification",
                    "classificationType": "economic",
                    "attributes": {
                        "codigo": {"source": "codigo"},
                        "descripcion": {"source": "descripcion", "labelfor": "codigo"},
                    },
                    "primaryKey": "codigo",
                },
                "categoria": {
                    "dimensionType": "other",
                    "attributes": {"categoria": {"source": "categoria"}},
                    "primaryKey": "categoria",
                },
            },
        },
    }


def fiscal_data_package_json(government, cutoff: CutOff) -> bytes:
    return json.dumps(fiscal_data_package(government, cutoff), ensure_ascii=False, indent=2).encode("utf-8")


def detail_xlsx(cutoff: CutOff) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"Ejecución {cutoff.key}")
    sheet.append(list(DETAIL_HEADER))
    for row in detail_rows(cutoff):
        # Text cells are neutralised like the CSV; numbers stay numbers.
        sheet.append(
            [
                float(cell) if isinstance(cell, Decimal) else safe_cell(cell) if isinstance(cell, str) else cell
                for cell in row
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
