"""Builders for the budget tests: cédula files as GAD systems export them, and published
cut-offs made through the same services an official uses."""

from __future__ import annotations

import io

from openpyxl import Workbook

from minga.core.tenancy.scoping import government_scope

from .. import services

EXPENSE_HEADERS = [
    "CÓDIGO",
    "NOMBRE",
    "PROGRAMA",
    "NOMBRE PROGRAMA",
    "UNIDAD EJECUTORA",
    "FUENTE",
    "DPA",
    "UBICACIÓN",
    "ASIGNACIÓN (a)",
    "REFORMAS (b)",
    "CODIFICADO (c)",
    "CERTIFICACIONES (d)",
    "COMPROMISOS (e)",
    "DEVENGADO (f)",
    "SALDO POR DEVENGAR (c-f)",
    "PAGADO (g)",
]
INCOME_HEADERS = ["Código", "Denominación", "Asignación inicial", "Reformas", "Codificado", "Devengado", "Recaudado"]


def expense_row(partida, name, asignado, reformas, codificado, certificado, comprometido, devengado, pagado, **extra):
    return [
        partida,
        name,
        extra.get("programa", "2"),
        extra.get("programa_nombre", "Vialidad rural"),
        extra.get("unidad", "Dirección de Obras Públicas"),
        extra.get("fuente", "001"),
        extra.get("dpa", ""),
        extra.get("ubicacion", ""),
        asignado,
        reformas,
        codificado,
        certificado,
        comprometido,
        devengado,
        "0,00",
        pagado,
    ]


def good_expense_rows():
    return [
        ["7", "GASTOS DE INVERSIÓN", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["75", "OBRAS PÚBLICAS", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
        expense_row(
            "2.01.750105.001",
            "Obras de transporte y vías",
            "1.000.000,00",
            "200.000,00",
            "1.200.000,00",
            "900.000,00",
            "800.000,00",
            "600.000,00",
            "500.000,00",
            dpa="1303",
            ubicacion="Chone",
        ),
        expense_row(
            "2.01.730811.001",
            "Insumos para la construcción",
            "250.000,50",
            "-50.000,50",
            "200.000,00",
            "150.000,00",
            "100.000,00",
            "50.000,00",
            "50.000,00",
        ),
        expense_row(
            "1.01.510105.001",
            "Remuneraciones unificadas",
            "500.000,00",
            "0,00",
            "500.000,00",
            "500.000,00",
            "500.000,00",
            "450.000,00",
            "450.000,00",
            programa="1",
            programa_nombre="Administración general",
            unidad="Dirección Administrativa",
        ),
    ]


def good_income_rows():
    return [
        ["110201.01", "Impuesto a los predios urbanos", "300.000,00", "0,00", "300.000,00", "310.000,00", "290.000,00"],
        [
            "180101.01",
            "Transferencias del Presupuesto General",
            "1.500.000,00",
            "100.000,00",
            "1.600.000,00",
            "1.200.000,00",
            "1.200.000,00",
        ],
    ]


def csv_bytes(headers, rows, *, delimiter=";", title_rows=True) -> bytes:
    lines = []
    if title_rows:
        lines += ["GOBIERNO PROVINCIAL DE PRUEBA", "CÉDULA PRESUPUESTARIA", ""]
    lines.append(delimiter.join(headers))
    for row in rows:
        lines.append(delimiter.join(f'"{cell}"' if delimiter in str(cell) else str(cell) for cell in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(headers, rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["CÉDULA DE GASTOS"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(government, data: bytes, *, year=2026, month=3, scope="expense", filename="cedula.csv", actor=None):
    with government_scope(government):
        return services.import_upload(
            actor=actor, government=government, year=year, month=month, scope=scope, filename=filename, data=data
        )


def publish(government, data: bytes, **kwargs):
    budget_import = upload(government, data, **kwargs)
    assert budget_import.status == "ready", budget_import.report["errors"][:5]
    with government_scope(government):
        return services.import_publish(actor=kwargs.get("actor"), government=government, budget_import=budget_import)


def published_budget(government, *, year=2026, months=(3,)):
    """Expense and income cédulas published for each month."""
    cutoff = None
    for month in months:
        publish(government, csv_bytes(EXPENSE_HEADERS, good_expense_rows()), year=year, month=month)
        cutoff = publish(
            government, csv_bytes(INCOME_HEADERS, good_income_rows()), year=year, month=month, scope="income"
        )
    return cutoff
