"""Reads of loaded tables (scoped like every selector): the loads of a resource and their
report in plain words for officials, a resource's table and its columns with the data
dictionary's labels (shown on public tables and downloads), and the previews a resource
offers."""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from minga import datastore
from minga.core.memo import MISSING, ProcessMemo
from minga.core.ui import maps, numbers
from minga.core.ui.page_cache import content_version
from minga.datastore import roles
from minga.datastore.names import legacy_identifier

from ..datasets import selectors
from ..datasets.models import ColumnDictionary, ColumnRoleChoice, Resource, ResourceFormat
from . import load_recovery
from .models import TABULAR_FORMATS, ResourceLoad

_TYPE_LABELS = {
    "integer": gettext_lazy("whole number"),
    "decimal": gettext_lazy("number"),
    "boolean": gettext_lazy("yes/no"),
    "date": gettext_lazy("date"),
    "datetime": gettext_lazy("date and time"),
    "text": gettext_lazy("text"),
}


def type_label(column_type) -> str:
    label = _TYPE_LABELS.get(str(column_type))
    return str(column_type) if label is None else str(label)


# Reads -----------------------------------------------------------------------------------


def last_loads(resources) -> dict[int, ResourceLoad]:
    """The most recent load of each resource (one query)."""
    resources = list(resources)
    latest: dict[int, ResourceLoad] = {}
    if not resources:
        return latest
    loads = ResourceLoad.objects.filter(
        government_id__in={r.government_id for r in resources}, resource_id__in=[r.pk for r in resources]
    ).order_by("resource_id", "-created_at", "-pk")
    for load in loads:
        latest.setdefault(load.resource_id, load)
    return latest


def last_load(resource: Resource) -> ResourceLoad | None:
    return last_loads([resource]).get(resource.pk)


def resource_loads(resource: Resource, *, limit: int = 10) -> list[ResourceLoad]:
    return list(ResourceLoad.objects.filter(government_id=resource.government_id, resource=resource)[:limit])


def resource_table(resource: Resource) -> datastore.TableInfo | None:
    """The live datastore table of the resource (columns, types, stats), or None."""
    return datastore.get_table(table_id=resource.datastore_table_id)


def column_dictionary(resource: Resource) -> dict[str, ColumnDictionary]:
    entries = ColumnDictionary.objects.filter(government_id=resource.government_id, resource=resource)
    return {entry.column: entry for entry in entries}


_public_tables = ProcessMemo(maxsize=512)


def public_table_resource(government, pk) -> tuple[Resource, dict[str, ColumnDictionary]] | None:
    """A published table resource with its data dictionary, or None. The query API asks this
    on every request; the answer is remembered in the process under the government's content
    version, which every audited change (publishing, withdrawing, the dictionary) moves on.
    Only found resources are remembered: one that appears is seen at once."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    key = (government.pk, content_version(government), pk)
    found = _public_tables.get(key)
    if found is MISSING:
        resource = public_table_resources(government).select_related("dataset").filter(pk=pk).first()
        if resource is None:
            return None
        found = (resource, column_dictionary(resource))
        _public_tables.set(key, found)
    return found


def public_table_resources(government):
    """Published uploaded resources whose data may be in the datastore (scoped)."""
    return selectors.public_resources(government).filter(
        Q(kind=Resource.Kind.UPLOAD, format__in=TABULAR_FORMATS)
        | Q(kind__in=[Resource.Kind.URL, Resource.Kind.SQL], data_updated_at__isnull=False)
    )


@dataclass
class ColumnView:
    """A column as people see it: the official's label over the file's header, and what its
    numbers are (``role``: the dictionary's word over the loader's guess)."""

    name: str
    label: str
    type: str
    type_label: str
    unit: str
    description: str
    stats: datastore.ColumnStats
    indexed: bool
    role: str = ""

    @property
    def additive(self) -> bool:
        """Whether a total of this column means something (amounts, counts)."""
        return self.type in ("integer", "decimal") and roles.adds_up(self.role)

    @property
    def money(self) -> bool:
        return self.role == roles.ColumnRole.AMOUNT

    @property
    def min_text(self) -> str:
        return self.format(self.stats.min)

    @property
    def max_text(self) -> str:
        return self.format(self.stats.max)

    def format(self, value) -> str:
        """A value of this column as the page writes it (see ``cells``)."""
        if value is None:
            return ""
        if isinstance(value, bool | str) or self.type not in ("integer", "decimal"):
            return str(value)
        if self.plain:
            return numbers.format_plain(value)
        if self.money:
            return numbers.format_money(value)
        return numbers.format_number(value)

    @property
    def role_label(self) -> str:
        """What the numbers are, in words ("" for text that is not a code, dates, yes/no)."""
        return str(ColumnRoleChoice(self.role).label) if self.role in ColumnRoleChoice.values else ""

    @property
    def plain(self) -> bool:
        """Written without thousand separators: years, codes and identifiers."""
        return self.role in roles.UNGROUPED


def effective_role(column: datastore.Column, entry: ColumnDictionary | None) -> str:
    if entry and entry.role:
        return entry.role
    role = column.role
    if role == roles.ColumnRole.QUANTITY and entry and roles.is_money_unit(entry.unit):
        return str(roles.ColumnRole.AMOUNT)
    return role


def columns_for(table: datastore.TableInfo, dictionary: dict[str, ColumnDictionary]) -> list[ColumnView]:
    views = []
    for column in table.columns:
        # An entry written when "Año" was ``ano`` still describes the column now called ``anio``.
        entry = dictionary.get(column.name) or dictionary.get(legacy_identifier(column.label))
        views.append(
            ColumnView(
                name=column.name,
                label=(entry.label if entry and entry.label else column.label) or column.name,
                type=str(column.type),
                type_label=type_label(column.type),
                unit=entry.unit if entry else "",
                description=entry.description if entry else "",
                stats=column.stats,
                indexed=column.indexed,
                role=effective_role(column, entry),
            )
        )
    return views


# The report in plain words ---------------------------------------------------------------


@dataclass
class ReportLine:
    text: str
    row: int | None = None
    column: str | None = None
    value: str | None = None


def describe_report(load: ResourceLoad | None) -> dict:
    """What an official needs to know about a load: a sentence, then the problems that kept it
    from loading (with row, column and value), then what the loader adjusted."""
    if load is None:
        return {}
    report = load.report or {}
    file = report.get("file") or {}
    errors = [
        ReportLine(p.get("message", ""), p.get("row"), p.get("column"), p.get("value"))
        for p in report.get("errors") or []
    ]
    notes = [
        ReportLine(p.get("message", ""), p.get("row"), p.get("column"), p.get("value"))
        for p in report.get("notes") or []
    ]
    if load.status == ResourceLoad.Status.SUCCEEDED:
        columns = len(report.get("columns") or [])
        summary = ngettext(
            "The table was loaded: %(rows)s row and %(columns)s columns.",
            "The table was loaded: %(rows)s rows and %(columns)s columns.",
            load.row_count or 0,
        ) % {"rows": load.row_count or 0, "columns": columns}
    elif load.status == ResourceLoad.Status.FAILED and any(
        p.get("code") == load_recovery.INTERRUPTED for p in report.get("errors") or []
    ):
        # Said in the reader's language, whatever language the recovering worker spoke.
        summary, errors = str(load_recovery.INTERRUPTED_MESSAGE), []
    elif load.status == ResourceLoad.Status.FAILED:
        count = report.get("error_count") or len(errors)
        summary = ngettext(
            "The file could not be loaded: %(count)s problem was found. The previous table, if any, is still served.",
            "The file could not be loaded: %(count)s problems were found. The previous table, if any, is still served.",
            count,
        ) % {"count": count}
    elif load.status == ResourceLoad.Status.RUNNING:
        summary = _("The file is being loaded.")
    else:
        summary = _("The file is waiting to be loaded.")
    details = []
    if file.get("encoding"):
        details.append(_("Encoding: %(value)s") % {"value": file["encoding"]})
    if file.get("delimiter"):
        delimiter = {"\t": _("tab"), ";": ";", ",": ","}.get(file["delimiter"], file["delimiter"])
        details.append(_("Delimiter: %(value)s") % {"value": delimiter})
    if file.get("header_row"):
        details.append(_("Header on line %(value)s") % {"value": file["header_row"]})
    return {
        "summary": summary,
        "errors": errors,
        "more_errors": max(0, (report.get("error_count") or 0) - len(errors)),
        "notes": notes,
        "details": details,
    }


# What can be previewed ---------------------------------------------------------------------

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".webp")


def sniff_inline_type(head: bytes) -> str | None:
    """The content type of a file safe to show inline: PDF or a raster image, by magic bytes only.
    SVG and HTML never qualify (they could run script in the portal's origin)."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def file_kind(resource: Resource) -> str | None:
    """ "pdf" or "image" for uploads that the preview page can show (by declared format/name)."""
    if resource.kind != Resource.Kind.UPLOAD or not resource.file:
        return None
    if resource.format == ResourceFormat.PDF:
        return "pdf"
    extension = os.path.splitext(resource.original_name or resource.file.name)[1].lower()
    if resource.format == ResourceFormat.OTHER and extension in IMAGE_EXTENSIONS:
        return "image"
    return None


@dataclass
class PreviewLink:
    name: str
    url: str
    label: str


def preview_links(resource: Resource, *, exclude: str = "") -> list[PreviewLink]:
    """The previews a resource offers, for the dataset page and the table page."""
    links = []
    table = resource_table(resource) if resource.is_tabular else None
    pk = {"pk": resource.pk}
    if table is not None:
        links.append(PreviewLink("table", reverse("catalog:resource_table", kwargs=pk), _("Table")))
        links.append(PreviewLink("chart", reverse("catalog:resource_chart", kwargs=pk), _("Chart")))
        if maps.coordinate_columns(table.columns) or maps.dpa_columns(table.columns):
            links.append(PreviewLink("map", reverse("catalog:resource_map", kwargs=pk), _("Map")))
    elif resource.kind == Resource.Kind.UPLOAD and resource.format == ResourceFormat.GEOJSON:
        links.append(PreviewLink("map", reverse("catalog:resource_map", kwargs=pk), _("Map")))
    if file_kind(resource):
        links.append(PreviewLink("preview", reverse("catalog:resource_preview", kwargs=pk), _("Preview")))
    return [link for link in links if link.name != exclude]
