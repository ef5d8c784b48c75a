"""The budget's open-data tables: one per published year (`budget.execution.<year>`), the
LOTAIP numeral-6 fields at the year's latest cut-off, with the metadatos and diccionario files
and a Fiscal Data Package descriptor beside it. The catalog publishes each as a dataset and
reloads it when an import or a publication calls `opendata.tables_changed`."""

from __future__ import annotations

import datetime as dt

from minga.core.opendata import OpenDataFile, OpenDataTable

from . import exports, selectors


def tables(government) -> list[OpenDataTable]:
    found = []
    for budget_year in selectors.published_years(government):
        cutoff = selectors.cutoff_for(budget_year)
        year = budget_year.year

        def rows(cutoff=cutoff):
            return exports.lotaip_rows(cutoff)

        def metadata(cutoff=cutoff):
            return exports.metadata_csv(government, cutoff)

        def package(cutoff=cutoff):
            return exports.fiscal_data_package_json(government, cutoff)

        found.append(
            OpenDataTable(
                key=f"budget.execution.{year}",
                module="budget",
                title=f"Presupuesto y ejecución presupuestaria de {government.short_name or government.name} {year}",
                summary=f"Cuánto se planificó, comprometió, devengó y pagó en {year}, partida por partida.",
                description=(
                    f"Cédula presupuestaria de ingresos, gastos y financiamiento de {government.name} al corte "
                    f"{cutoff.key} (acumulado desde enero), con los 14 campos del numeral 6 del art. 19 de la LOTAIP. "
                    "Saldo por pagar = devengado − pagado; porcentaje de ejecución = devengado / codificado × 100."
                ),
                columns=exports.LOTAIP_COLUMNS,
                rows=rows,
                theme="ECON",
                keywords=("presupuesto", "ejecución presupuestaria", "LOTAIP", "cédula presupuestaria"),
                frequency="MONTHLY",
                temporal_start=dt.date(year, 1, 1),
                temporal_end=dt.date(year, 12, 31),
                files=(
                    OpenDataFile(f"lotaip-6-metadatos-{cutoff.key}.csv", "Metadatos (LOTAIP numeral 6)", metadata),
                    OpenDataFile(
                        f"lotaip-6-diccionario-{cutoff.key}.csv",
                        "Diccionario de datos (LOTAIP numeral 6)",
                        exports.dictionary_csv,
                    ),
                    OpenDataFile("datapackage.json", "Fiscal Data Package", package, format="JSON"),
                ),
            )
        )
    return found
