"""Public pages of the budget: the overview of a year with each stage explained, the
drill-downs (classifier group → subgroup → item, programme, unit, territory, funding source)
for expenses ("where does each dollar go") and income ("where does it come from"), the monthly
execution curve, the comparison between years, the lines and one line's page with what spends
it, and the downloads. Only published cut-offs reach these views."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core import registry
from minga.core.exports import csv_response
from minga.core.templatetags.minga import usd
from minga.core.ui import maps
from minga.core.ui.page_cache import public_page

from .. import charts, exports, selectors
from ..models import Stages
from ..queries import BreakdownQuery, LineQuery
from ..templatetags.budget import pct

SIDE_SLUGS = {"gastos": "expense", "ingresos": "income"}
SIDE_TITLES = {
    "expense": gettext_lazy("Where does each dollar go?"),
    "income": gettext_lazy("Where does each dollar come from?"),
}
BY_LABELS = {
    "clasificador": gettext_lazy("Classifier (what it is)"),
    "programa": gettext_lazy("Programme"),
    "unidad": gettext_lazy("Executing unit"),
    "territorio": gettext_lazy("Territory"),
    "fuente": gettext_lazy("Funding source"),
}
PAGE_SIZE = 50
# What colours the territory map (URL value -> label); the first is the default.
MAP_MEASURES = {
    "ejecucion": gettext_lazy("% executed (devengado ÷ codificado)"),
    "devengado": gettext_lazy("Devengado (USD)"),
}


def _territory_map(request, rows) -> dict:
    """The territory rows as a tile map coloured by the measure the visitor chose. Rows that
    share a DPA code (several places named in one parish) are one territory; rows without a
    code (the whole territory) stay in the table only."""
    measure = request.GET.get("mapa", "")
    measure = measure if measure in MAP_MEASURES else next(iter(MAP_MEASURES))
    merged: dict[str, dict] = {}
    for row, label in rows:
        code = (row.code or "").strip()
        if not code.isdigit():
            continue
        entry = merged.setdefault(code, {"names": [], "devengado": 0, "codificado": 0})
        entry["names"].append(label)
        entry["devengado"] += row.stages.devengado or 0
        entry["codificado"] += row.stages.codificado or 0
    items = []
    for code, entry in merged.items():
        if measure == "devengado":
            value = entry["devengado"]
        else:
            value = Stages.rate_of(entry["devengado"], entry["codificado"])
        name = " / ".join(dict.fromkeys(entry["names"]))
        items.append(maps.TerritoryValue(code, name, float(value) if value is not None else None))
    fmt = usd if measure == "devengado" else pct
    return {
        "grid": maps.territory_grid(items, fmt) if items else None,
        "map_measure": measure,
        "map_measures": list(MAP_MEASURES.items()),
        "map_title": MAP_MEASURES[measure],
        "map_left_out": len(rows) - sum(len(entry["names"]) for entry in merged.values()),
    }


LEVEL_OF_PARAM = {"grupo": "group", "subgrupo": "subgroup", "item": "item"}


def _unnamed_level(level: str, code: str, names: dict[str, str]) -> str:
    """A name for a classifier code nobody named, from the level above it, so the drill-down
    never reads "7308 7308"."""
    parent = names.get(code[:2] if level == "subgroup" else code[:4] if level == "item" else code[:1], "")
    if level == "group":
        return _("Group of %(nature)s") % {"nature": parent} if parent else _("Unnamed group")
    if level == "subgroup":
        return _("Subgroup of %(group)s") % {"group": parent} if parent else _("Unnamed subgroup")
    if level == "item":
        return _("Item of %(subgroup)s") % {"subgroup": parent} if parent else _("Unnamed item")
    return code


def _year_context(request, year: int | None):
    government = request.government
    if year is None:
        latest = selectors.latest_cutoff(government)
        if latest is None:
            return None
        budget_year = latest.budget_year
    else:
        budget_year = selectors.published_year(government, year)
    cutoff = selectors.cutoff_for(budget_year, str(request.GET.get("corte", ""))[:7])
    return {
        "budget_year": budget_year,
        "cutoff": cutoff,
        "cutoffs": selectors.published_cutoffs(budget_year),
        "years": selectors.published_years(government),
        "corte_query": f"?corte={cutoff.key}",
    }


def _stage_rows(stages: Stages, side: str) -> list[tuple[str, object]]:
    if side == "income":
        return [
            (_("Asignado"), stages.asignado),
            (_("Codificado"), stages.codificado),
            (_("Devengado"), stages.devengado),
            (_("Recaudado"), stages.pagado),
        ]
    return [
        (_("Asignado"), stages.asignado),
        (_("Codificado"), stages.codificado),
        (_("Certificado"), stages.certificado),
        (_("Comprometido"), stages.comprometido),
        (_("Devengado"), stages.devengado),
        (_("Pagado"), stages.pagado),
    ]


@public_page
def overview(request, year: int | None = None):
    context = _year_context(request, year)
    if context is None:
        return render(request, "budget/empty.html")
    cutoff = context["cutoff"]
    expense = selectors.totals(cutoff, "expense")
    income = selectors.totals(cutoff, "income")
    groups = selectors.breakdown(cutoff, side="expense", by="group")
    context.update(
        expense=expense,
        income=income,
        expense_lines=selectors.line_count(cutoff, "expense"),
        income_lines=selectors.line_count(cutoff, "income"),
        stage_chart=charts.bars(_stage_rows(expense, "expense")),
        stage_rows=_stage_rows(expense, "expense"),
        income_rows=_stage_rows(income, "income"),
        income_chart=charts.bars(_stage_rows(income, "income")),
        groups=groups[:8],
    )
    return render(request, "budget/overview.html", context)


@public_page
def explore(request, year: int, side_slug: str):
    side = SIDE_SLUGS[side_slug]
    context = _year_context(request, year)
    cutoff = context["cutoff"]
    query = BreakdownQuery.from_params(request.GET, side=side)
    names = selectors.classifier_names(cutoff.government_id)
    level, _parent, codes = query.level()
    trail = [(param, code, names.get(code, "")) for param, code in codes]
    rows = query.rows(cutoff, names)
    by = query.by
    unnamed = {
        "programme": _("No programme"),
        "unit": _("No unit given"),
        "territory": _("Whole territory (no location)"),
    }
    unnamed["funding"] = _("No funding source given")
    labels = [row.name or unnamed.get(level, "") or _unnamed_level(level, row.code, names) for row in rows]
    trail = [(param, code, name or _unnamed_level(LEVEL_OF_PARAM[param], code, names)) for param, code, name in trail]
    context.update(
        side=side,
        side_slug=side_slug,
        title=SIDE_TITLES[side],
        by=by,
        by_choices=list(BY_LABELS.items()),
        level=level,
        trail=trail,
        rows=list(zip(rows, labels, strict=True)),
        total=selectors.totals(cutoff, side),
        pie=charts.pie([(label, row.stages.codificado) for row, label in zip(rows, labels, strict=True)]),
        child_param={"group": "grupo", "subgroup": "subgrupo", "item": "item"}.get(level, ""),
    )
    if level == "territory" and rows:
        context.update(_territory_map(request, context["rows"]))
    return render(request, "budget/explore.html", context)


@public_page
def curve(request, year: int):
    context = _year_context(request, year)
    budget_year = context["budget_year"]
    side = SIDE_SLUGS.get(request.GET.get("lado", "gastos"), "expense")
    points = selectors.monthly_curve(budget_year, side)
    executed = {0: 0, **{p.month: p.stages.execution_rate for p in points}}
    series = [(_("Executed (devengado ÷ codificado)"), executed)]
    if side == "expense":
        series.append(
            (_("Committed (comprometido ÷ codificado)"), {0: 0, **{p.month: p.stages.commitment_rate for p in points}})
        )
    series.append((_("Linear plan (a twelfth each month)"), {m: m * 100 / 12 for m in range(0, 13)}))
    context.update(
        side=side, side_slug="ingresos" if side == "income" else "gastos", points=points, chart=charts.curve(series)
    )
    return render(request, "budget/curve.html", context)


@public_page
def compare(request):
    government = request.government
    side = SIDE_SLUGS.get(request.GET.get("lado", "gastos"), "expense")
    columns, groups = selectors.year_comparison(government, side)
    if not columns:
        return render(request, "budget/empty.html")
    table = [(code, name, [column.groups.get(code) for column in columns]) for code, name in groups]
    chart = charts.bars(
        [(f"{c.budget_year.year} ({c.cutoff.month_name})", c.totals.execution_rate) for c in columns], places=1
    )
    context = {
        "side": side,
        "side_slug": "ingresos" if side == "income" else "gastos",
        "columns": columns,
        "table": table,
        "chart": chart,
        "years": selectors.published_years(government),
    }
    return render(request, "budget/compare.html", context)


@public_page
def lines(request, year: int):
    context = _year_context(request, year)
    query = LineQuery.from_params(request.GET)
    executions = query.executions(context["cutoff"])
    page = Paginator(executions, PAGE_SIZE).get_page(request.GET.get("pagina"))
    applied = query.params()
    context.update(
        page=page,
        applied=applied,
        filter_query=query.as_query(corte=context["cutoff"].key),
        q=query.text,
        lado=applied.get("lado", ""),
    )
    return render(request, "budget/lines.html", context)


@public_page
def line_detail(request, year: int, partida: str):
    government = request.government
    budget_year = selectors.published_year(government, year)
    line = selectors.public_line(budget_year, partida)
    history = list(selectors.line_history(line))
    latest = history[-1]
    names = selectors.classifier_names(government)
    context = {
        "budget_year": budget_year,
        "line": line,
        "history": history,
        "latest": latest,
        "stages": latest.stages,
        "classification": [
            (_("Nature"), line.nature_code, names.get(line.nature_code, "")),
            (_("Group"), line.group_code, names.get(line.group_code, "")),
            (_("Subgroup"), line.subgroup_code, names.get(line.subgroup_code, "")),
            (_("Item"), line.item_code, names.get(line.item_code, "")),
        ],
        "stage_chart": charts.bars(_stage_rows(latest.stages, "income" if line.direction == "income" else "expense")),
        "stage_rows": _stage_rows(latest.stages, "income" if line.direction == "income" else "expense"),
        "backlinks": registry.find_backlinks(government, "budget.line", line.key),
    }
    return render(request, "budget/line_detail.html", context)


# Downloads ---------------------------------------------------------------------------------
# Rows are read before the response streams: the government scope ends with the view.


def _download_cutoff(request, year: int):
    budget_year = selectors.published_year(request.government, year)
    return selectors.cutoff_for(budget_year, str(request.GET.get("corte", ""))[:7])


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page
def download_lotaip(request, year: int):
    cutoff = _download_cutoff(request, year)
    return csv_response(
        exports.lotaip_filename(cutoff), [c.name for c in exports.LOTAIP_COLUMNS], list(exports.lotaip_rows(cutoff))
    )


@public_page
def download_metadata(request, year: int):
    cutoff = _download_cutoff(request, year)
    rows = exports.metadata_rows(request.government, cutoff)
    return csv_response(f"lotaip-6-metadatos-{cutoff.key}.csv", rows[0], rows[1:])


@public_page
def download_dictionary(request, year: int):
    cutoff = _download_cutoff(request, year)
    rows = exports.dictionary_rows()
    return csv_response(f"lotaip-6-diccionario-{cutoff.key}.csv", rows[0], rows[1:])


@public_page
def download_datapackage(request, year: int):
    cutoff = _download_cutoff(request, year)
    response = HttpResponse(
        exports.fiscal_data_package_json(request.government, cutoff), content_type="application/json; charset=utf-8"
    )
    return response


@public_page
def download_detail_csv(request, year: int):
    cutoff = _download_cutoff(request, year)
    return csv_response(
        f"ejecucion-presupuestaria-{cutoff.key}.csv", exports.DETAIL_HEADER, list(exports.detail_rows(cutoff))
    )


@public_page
def download_detail_xlsx(request, year: int):
    cutoff = _download_cutoff(request, year)
    return _file(
        exports.detail_xlsx(cutoff),
        f"ejecucion-presupuestaria-{cutoff.key}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
