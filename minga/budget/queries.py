"""The query objects of the budget's lists: what a page and its API endpoint read from the
address, parsed once by the same object so that one query string means the same rows in
both. `LineQuery` is the lines page and /anios/<year>/partidas/; `BreakdownQuery` the
drill-downs (/<year>/gastos/, /<year>/ingresos/) and /anios/<year>/ejecucion/."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext as _

from . import selectors
from .models import CutOff, LineExecution, Stages

# `lado`: gastos / ingresos, as the pages' addresses say; expense / income (the older names,
# which the API documented first) are read too.
SIDE_VALUES = {"gastos": "expense", "ingresos": "income", "expense": "expense", "income": "income"}
SIDE_SLUG = {"expense": "gastos", "income": "ingresos"}

LINE_FILTERS = {
    "grupo": "line__group_code",
    "subgrupo": "line__subgroup_code",
    "item": "line__item_code",
    "programa": "line__programme_code",
    "unidad": "line__unit_name",
    "fuente": "line__funding_code",
    "dpa": "line__dpa_code",
}


def _side(params, errors: list[str]) -> str:
    raw = str(params.get("lado", "") or "").strip()
    if raw and raw not in SIDE_VALUES:
        errors.append(str(_("Use gastos or ingresos.")))
    return SIDE_VALUES.get(raw, "")


@dataclass
class LineQuery:
    """The filters of a list of lines: ``lado``, the classifier and other codes, ``q`` over
    the partida's code and description. Anything unreadable is dropped and reported."""

    side: str = ""
    filters: dict[str, str] = field(default_factory=dict)
    text: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params) -> LineQuery:
        found = cls()
        found.side = _side(params, found.errors)
        for name in LINE_FILTERS:
            value = str(params.get(name, "") or "").strip()[:100]
            if value:
                found.filters[name] = value
        found.text = str(params.get("q", "") or "").strip()[:100]
        return found

    def executions(self, cutoff: CutOff):
        if self.side:
            executions = selectors.side_executions(cutoff, self.side)
        else:
            executions = LineExecution.objects.filter(cutoff=cutoff)
        for name, value in self.filters.items():
            executions = executions.filter(**{LINE_FILTERS[name]: value})
        if self.text:
            executions = executions.filter(
                Q(line__partida__icontains=self.text) | Q(line__description__icontains=self.text)
            )
        return executions.select_related("line", "line__budget_year").order_by("line__partida")

    def params(self) -> dict[str, str]:
        """The filters as canonical query parameters."""
        values = {"lado": SIDE_SLUG[self.side]} if self.side else {}
        values.update(self.filters)
        if self.text:
            values["q"] = self.text
        return values

    def as_query(self, **extra: str) -> str:
        return urlencode({**extra, **self.params()})


# `por`: what the rows are. The classifier goes down group → subgroup → item → its lines as
# `grupo`, `subgrupo` and `item` say.
BREAKDOWN_BY = {
    "clasificador": "group",
    "programa": "programme",
    "unidad": "unit",
    "territorio": "territory",
    "fuente": "funding",
}
# The API's older spelling of the classifier levels: por=grupo|subgrupo|item with padre=<the
# code one level up>; read as the same drill-down.
OLDER_LEVELS = {"grupo": "", "subgrupo": "grupo", "item": "subgrupo"}


@dataclass
class BreakdownQuery:
    side: str = "expense"
    by: str = "clasificador"
    group: str = ""
    subgroup: str = ""
    item: str = ""
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_params(cls, params, *, side: str = "") -> BreakdownQuery:
        """``side``: the side the address already fixes (the pages' /gastos/, /ingresos/);
        otherwise ``lado`` (default: gastos)."""
        found = cls()
        found.side = side or _side(params, found.errors) or "expense"
        by = str(params.get("por", "") or "clasificador")
        parent = str(params.get("padre", "") or "")
        codes = {name: str(params.get(name, "") or "") for name in ("grupo", "subgrupo", "item")}
        if by in OLDER_LEVELS:
            if OLDER_LEVELS[by]:
                codes[OLDER_LEVELS[by]] = codes[OLDER_LEVELS[by]] or parent
            by = "clasificador"
        elif by not in BREAKDOWN_BY:
            found.errors.append(str(_("Use one of: %(values)s.") % {"values": ", ".join(BREAKDOWN_BY)}))
            by = "clasificador"
        found.by = by
        if by == "clasificador":
            found.item = codes["item"][:6]
            found.subgroup = codes["subgrupo"][:4] or found.item[:4]
            found.group = codes["grupo"][:2] or found.subgroup[:2]
        return found

    def level(self) -> tuple[str, str, list[tuple[str, str]]]:
        """(the dimension of the rows, the code above them, the trail of (parameter, code)
        down the classifier). An inconsistent code ends the trail where it stops fitting."""
        if self.by != "clasificador":
            return BREAKDOWN_BY[self.by], "", []
        trail, level, parent = [], "group", ""
        if self.group.isdigit() and len(self.group) == 2:
            trail.append(("grupo", self.group))
            level, parent = "subgroup", self.group
        if trail and self.subgroup.isdigit() and len(self.subgroup) == 4 and self.subgroup.startswith(self.group):
            trail.append(("subgrupo", self.subgroup))
            level, parent = "item", self.subgroup
        if len(trail) == 2 and self.item.isdigit() and len(self.item) == 6 and self.item.startswith(parent):
            trail.append(("item", self.item))
            level, parent = "lines", self.item
        return level, parent, trail

    def rows(self, cutoff: CutOff, names: dict[str, str]) -> list[selectors.Row]:
        """The rows of the level asked for, largest codificado first; an item's lines by
        partida, each with its share of the item's codificado."""
        level, parent, _trail = self.level()
        if level != "lines":
            return selectors.breakdown(cutoff, side=self.side, by=level, parent=parent, names=names)
        lines = selectors.lines_under(cutoff, side=self.side, item=parent)
        rows = [selectors.Row(code=e.line.partida, name=e.line.description, stages=e.stages) for e in lines]
        whole = sum((row.stages.codificado or Decimal(0) for row in rows), Decimal(0))
        for row in rows:
            row.share = Stages.rate_of(row.stages.codificado, whole)
        return rows
