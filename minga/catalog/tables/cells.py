"""How a loaded table's values and totals are written on its public page.

The column's role (see ``minga.datastore.roles``) decides: money with two decimals, years,
codes and identifiers as written (no thousand separators), other numbers grouped in
thousands with their own decimals. Totals add only the columns whose values add up (amounts,
counts) over the rows the active filter keeps, and say which rows they add."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from minga import datastore
from minga.core.ui import numbers

from .selectors import ColumnView


def cell(value, column: ColumnView) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return column.format(value)


def row_cells(row, columns: list[ColumnView]) -> list[str]:
    return [cell(value, column) for value, column in zip(row, columns, strict=True)]


def totals(table: datastore.TableInfo, columns: list[ColumnView], filters: tuple) -> list[str | None] | None:
    """The sum of every column that adds up over the rows ``filters`` keep (None for the
    others), or None when no column adds up. Unfiltered, the statistics stored at load time
    answer; filtered, one aggregate query over the same rows the page counts."""
    summed = [column for column in columns if column.additive]
    if not summed:
        return None
    if not filters:  # the whole table: the sums stored at load time, no query
        return [cell(column.stats.sum, column) if column.additive else None for column in columns]
    spec = datastore.QuerySpec(
        filters=filters, aggregates=tuple(datastore.Aggregate("sum", column.name) for column in summed), limit=1
    )
    result = datastore.run_query(table_id=table.table_id, spec=spec)
    values = dict(zip((column.name for column in summed), result.rows[0] if result.rows else (), strict=False))
    return [cell(values.get(column.name), column) if column.additive else None for column in columns]


def totals_caption(count: int | None, *, filtered: bool) -> str:
    """ "Total of the 123 filtered rows" or "Total of all 1,234 rows"."""
    count = count or 0
    shown = numbers.format_number(count)
    if filtered:
        return ngettext("Total of the %(count)s filtered row", "Total of the %(count)s filtered rows", count) % {
            "count": shown
        }
    return ngettext("Total of the %(count)s row", "Total of all %(count)s rows", count) % {"count": shown}
