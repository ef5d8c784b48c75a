"""Writes of the geovisor. Each service is keyword-only and atomic, validates with full_clean()
and records an audit entry. An upload is read and checked completely before anything is
written; then the layer's features are swapped in one transaction, so a refused file leaves the
previous version of the layer live."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core import opendata, spatial
from minga.core.audit import services as audit
from minga.core.crud import TIMESTAMPS, changed_fields, snapshot, unique_slug
from minga.core.search import services as search

from . import preparation, readers
from .models import Choropleth, Feature, Layer, LayerImport
from .preparation import Problem
from .search import LAYER_KIND

LAYER_FIELDS = (
    "title",
    "slug",
    "description",
    "source",
    "source_date",
    "licence",
    "attribution",
    "is_public",
    "style_kind",
    "style_property",
    "colour",
    "labels",
)
CHOROPLETH_FIELDS = ("title", "slug", "join_property", "value_label", "is_public")
DPA_CODE = re.compile(r"^\d{2}(\d{2}){0,2}$")
DPA_COLUMN = re.compile(
    r"^(dpa|cod(igo)?_?dpa|dpa_?cod(igo)?|cod(igo)?_?(prov|provincia|canton|cant|parroquia|parr)|dpa_\w+)$"
)
BATCH = 1000


@dataclass
class ImportReport:
    file_name: str
    problems: list[Problem] = field(default_factory=list)
    repaired: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    crs_label: str = ""
    crs_source: str = ""
    feature_count: int = 0
    unmatched_codes: list[str] = field(default_factory=list)  # choropleths: codes with no area

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict:
        """The report as a layer import stores it (read back in templates like this object)."""

        def items(problems: list[Problem]) -> list[dict]:
            return [{"number": problem.number, "message": str(problem.message)} for problem in problems]

        return {
            "file_name": self.file_name,
            "problems": items(self.problems),
            "repaired": items(self.repaired),
            "notes": [str(note) for note in self.notes],
            "crs_label": self.crs_label,
            "crs_source": str(self.crs_source),
            "feature_count": self.feature_count,
        }


class ImportRefused(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("; ".join(p.message for p in report.problems[:3]))
        self.report = report


def _check_fields(fields: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")


# A choropleth's values are many and recorded as their count instead.
_NOT_AUDITED = (*TIMESTAMPS, "values")


def _snapshot(obj, **kwargs) -> dict:
    return snapshot(obj, leave_out=_NOT_AUDITED, **kwargs)


# Reading an upload -------------------------------------------------------------------------


def check_upload(
    *, file_name: str, data: bytes, declared_crs: str = ""
) -> tuple[ImportReport, preparation.Prepared | None]:
    """Read and check a file without writing anything."""
    report = ImportReport(file_name=file_name[:250])
    try:
        declared = spatial.declared_crs(declared_crs)
        raw = readers.read_layer(file_name, data)
    except (ValueError, readers.ReadError) as exc:
        report.problems.append(Problem(None, str(exc)))
        return report, None
    prepared = preparation.prepare(raw, declared_crs=declared)
    report.problems, report.repaired, report.notes = prepared.problems, prepared.repaired, prepared.notes
    report.crs_label, report.crs_source = prepared.crs_label, prepared.crs_source
    report.feature_count = len(prepared.features)
    if not prepared.problems and not prepared.features:
        report.problems.append(Problem(None, _("The file has no features.")))
    return report, prepared


def _attribute_names(prepared: preparation.Prepared) -> list[str]:
    names: dict[str, None] = {}
    for feature in prepared.features:
        for key in feature.properties:
            names.setdefault(key, None)
    return list(names)[:200]


def _replace_features(layer: Layer, prepared: preparation.Prepared, progress=None) -> None:
    Feature.objects.filter(government=layer.government, layer=layer).delete()
    rows = [
        Feature(
            government=layer.government,
            layer=layer,
            number=item.number,
            properties=item.properties,
            geometry=item.geometry,
            min_x=item.bounds[0],
            min_y=item.bounds[1],
            max_x=item.bounds[2],
            max_y=item.bounds[3],
        )
        for item in prepared.features
    ]
    for start in range(0, len(rows), BATCH):
        if progress is not None:
            progress("storing", start, len(rows))
        Feature.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    if progress is not None:
        progress("storing", len(rows), len(rows))
    layer.feature_count = len(rows)
    layer.geometry_kind = prepared.geometry_kind
    layer.properties = _attribute_names(prepared)
    layer.min_x = min(r.min_x for r in rows)
    layer.min_y = min(r.min_y for r in rows)
    layer.max_x = max(r.max_x for r in rows)
    layer.max_y = max(r.max_y for r in rows)
    layer.original_crs = prepared.crs_label


@transaction.atomic
def layer_create(
    *,
    actor,
    government,
    title: str,
    file_name: str,
    data: bytes,
    declared_crs: str = "",
    now: dt.datetime | None = None,
    **fields: Any,
) -> tuple[Layer, ImportReport]:
    """A new layer with its first features; ImportRefused (and nothing saved) if the file is refused."""
    _check_fields(fields, LAYER_FIELDS)
    report, prepared = check_upload(file_name=file_name, data=data, declared_crs=declared_crs)
    if not report.ok:
        raise ImportRefused(report)
    now = now or timezone.now()
    layer = Layer(government=government, title=title, **fields)
    if not layer.slug:
        layer.slug = unique_slug(Layer.objects.for_government(government), title, 70, fallback="capa")
    style_property, layer.style_property = layer.style_property, ""
    style_kind, layer.style_kind = layer.style_kind, Layer.StyleKind.SINGLE
    layer.full_clean()
    layer.save()
    _replace_features(layer, prepared)
    layer.style_kind, layer.style_property = style_kind, style_property
    layer.version, layer.imported_at, layer.imported_file = 1, now, report.file_name
    layer.full_clean()
    layer.save()
    audit.record(
        actor=actor,
        government=government,
        action="geo.layer.created",
        obj=layer,
        changes=audit.diff_fields({}, _snapshot(layer, extra={"repaired": len(report.repaired)})),
        now=now,
    )
    search.index_object(kind=LAYER_KIND, obj=layer)
    if layer.is_public:
        opendata.tables_changed(government=government, module="geo")
    return layer, report


@transaction.atomic
def layer_create_empty(*, actor, government, title: str, now: dt.datetime | None = None, **fields: Any) -> Layer:
    """A new layer without features yet, whose first file a background job imports (see
    ``importing``). It is not public anywhere until it has features; a style attribute is
    checked against them when they arrive."""
    _check_fields(fields, LAYER_FIELDS)
    layer = Layer(government=government, title=title, **fields)
    if not layer.slug:
        layer.slug = unique_slug(Layer.objects.for_government(government), title, 70, fallback="capa")
    layer.full_clean()
    layer.save()
    audit.record(
        actor=actor,
        government=government,
        action="geo.layer.created",
        obj=layer,
        changes=audit.diff_fields({}, _snapshot(layer)),
        now=now,
    )
    return layer


@transaction.atomic
def layer_import(
    *,
    actor,
    government,
    layer: Layer,
    file_name: str,
    data: bytes,
    declared_crs: str = "",
    now: dt.datetime | None = None,
    progress=None,
) -> ImportReport:
    """A new version of the layer's features; ImportRefused leaves the current version live.
    ``progress(phase, done, total)`` hears the phases reading and storing (see ``importing``)."""
    if progress is not None:
        progress("reading", 0, None)
    report, prepared = check_upload(file_name=file_name, data=data, declared_crs=declared_crs)
    if not report.ok:
        raise ImportRefused(report)
    now = now or timezone.now()
    layer = Layer.objects.select_for_update().get(government=government, pk=layer.pk)
    before = _snapshot(layer)
    _replace_features(layer, prepared, progress)
    if layer.style_property and layer.style_property not in layer.properties:
        # The new file dropped the styled attribute: fall back to one colour rather than refuse it.
        report.notes.append(
            _("The new file has no attribute “%(name)s”; the layer is now drawn in one colour.")
            % {"name": layer.style_property}
        )
        layer.style_kind, layer.style_property = Layer.StyleKind.SINGLE, ""
    layer.version += 1
    layer.imported_at, layer.imported_file = now, report.file_name
    layer.full_clean()
    layer.save()
    audit.record(
        actor=actor,
        government=government,
        action="geo.layer.imported",
        obj=layer,
        changes=changed_fields(layer, before, leave_out=_NOT_AUDITED, extra={"repaired": len(report.repaired)}),
        now=now,
    )
    search.index_object(kind=LAYER_KIND, obj=layer)
    if layer.is_public:
        opendata.tables_changed(government=government, module="geo")
    return report


@transaction.atomic
def layer_update(*, actor, government, layer: Layer, now: dt.datetime | None = None, **fields: Any) -> Layer:
    _check_fields(fields, LAYER_FIELDS)
    layer = Layer.objects.select_for_update().get(government=government, pk=layer.pk)
    before = _snapshot(layer)
    for name, value in fields.items():
        setattr(layer, name, value)
    if not layer.slug:
        layer.slug = unique_slug(
            Layer.objects.for_government(government).exclude(pk=layer.pk), layer.title, 70, fallback="capa"
        )
    layer.full_clean()
    layer.save()
    audit.record(
        actor=actor,
        government=government,
        action="geo.layer.updated",
        obj=layer,
        changes=changed_fields(layer, before, leave_out=_NOT_AUDITED),
        now=now,
    )
    search.index_object(kind=LAYER_KIND, obj=layer)
    if layer.is_public or before.get("is_public"):
        opendata.tables_changed(government=government, module="geo")
    return layer


@transaction.atomic
def layer_delete(*, actor, government, layer: Layer, now: dt.datetime | None = None) -> None:
    before = _snapshot(layer)
    audit.record(
        actor=actor,
        government=government,
        action="geo.layer.deleted",
        obj=layer,
        changes=audit.diff_fields(before, {}),
        now=now,
    )
    if layer.is_public:
        opendata.tables_changed(government=government, module="geo")
    search.remove_object(kind=LAYER_KIND, object_id=layer.pk, government=government)
    # Files still waiting to be imported go with the layer (after the commit: a rollback keeps them).
    stored = [found.file for found in LayerImport.objects.for_government(government).filter(layer=layer) if found.file]
    layer.delete()
    transaction.on_commit(lambda: [field.storage.delete(field.name) for field in stored])


# Choropleths -------------------------------------------------------------------------------


def read_figures(*, data: bytes, value_column: str, code_column: str = "") -> tuple[dict[str, float], list[Problem]]:
    """DPA code → figure from a CSV; every row that cannot be used is a problem."""
    problems: list[Problem] = []
    try:
        header, records = readers.read_table(data)
    except readers.ReadError as exc:
        return {}, [Problem(None, str(exc))]
    if code_column and code_column not in header:
        return {}, [Problem(None, _("The table has no column “%(name)s”.") % {"name": code_column})]
    if not code_column:
        code_column = next((name for name in header if DPA_COLUMN.match(readers._norm(name))), "")
        if not code_column:
            return {}, [
                Problem(None, _("No column of the table is named as a DPA code (dpa, codigo_dpa, dpa_parroquia…)."))
            ]
    if value_column not in header:
        return {}, [Problem(None, _("The table has no column “%(name)s”.") % {"name": value_column})]
    values: dict[str, float] = {}
    for number, record in enumerate(records, start=2):  # row 1 is the header
        code = record.get(code_column, "").strip()
        if not DPA_CODE.match(code):
            problems.append(
                Problem(number, _("“%(code)s” is not a DPA code of 2, 4 or 6 digits") % {"code": code[:20]})
            )
            continue
        value = readers.parse_number(record.get(value_column, ""))
        if value is None:
            problems.append(
                Problem(number, _("“%(value)s” is not a number") % {"value": record.get(value_column, "")[:30]})
            )
            continue
        if code in values:
            problems.append(Problem(number, _("the code %(code)s appears more than once") % {"code": code}))
            continue
        values[code] = value
    if not values and not problems:
        problems.append(Problem(None, _("The table has no rows.")))
    return values, problems


@transaction.atomic
def choropleth_create(
    *,
    actor,
    government,
    layer: Layer,
    title: str,
    join_property: str,
    value_label: str,
    value_column: str,
    file_name: str,
    data: bytes,
    code_column: str = "",
    now: dt.datetime | None = None,
    **fields: Any,
) -> tuple[Choropleth, ImportReport]:
    _check_fields(fields, CHOROPLETH_FIELDS)
    report = ImportReport(file_name=file_name[:250])
    if layer.geometry_kind != Layer.GeometryKind.AREA:
        report.problems.append(Problem(None, _("Choropleths colour areas: choose a layer of areas.")))
        raise ImportRefused(report)
    if join_property not in layer.properties:
        report.problems.append(
            Problem(None, _("The layer's features have no attribute “%(name)s”.") % {"name": join_property})
        )
        raise ImportRefused(report)
    values, report.problems = read_figures(data=data, value_column=value_column, code_column=code_column)
    if report.problems:
        raise ImportRefused(report)
    codes = {
        str(props.get(join_property))
        for props in Feature.objects.filter(government=government, layer=layer).values_list("properties", flat=True)
    }
    report.unmatched_codes = sorted(code for code in values if code not in codes)
    if len(report.unmatched_codes) == len(values):
        report.problems.append(
            Problem(
                None, _("No code of the table matches the attribute “%(name)s” of any area.") % {"name": join_property}
            )
        )
        raise ImportRefused(report)
    report.feature_count = len(values) - len(report.unmatched_codes)
    choropleth = Choropleth(
        government=government,
        layer=layer,
        title=title,
        join_property=join_property,
        value_label=value_label,
        values=values,
        source_file=report.file_name,
        **fields,
    )
    if not choropleth.slug:
        choropleth.slug = unique_slug(Choropleth.objects.for_government(government), title, 70, fallback="capa")
    choropleth.full_clean()
    choropleth.save()
    audit.record(
        actor=actor,
        government=government,
        action="geo.choropleth.created",
        obj=choropleth,
        changes=audit.diff_fields({}, _snapshot(choropleth, extra={"codes": len(values)})),
        now=now,
    )
    opendata.tables_changed(government=government, module="geo")
    return choropleth, report


@transaction.atomic
def choropleth_delete(*, actor, government, choropleth: Choropleth, now: dt.datetime | None = None) -> None:
    audit.record(
        actor=actor,
        government=government,
        action="geo.choropleth.deleted",
        obj=choropleth,
        changes=audit.diff_fields(_snapshot(choropleth), {}),
        now=now,
    )
    choropleth.delete()
    opendata.tables_changed(government=government, module="geo")
