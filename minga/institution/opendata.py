"""Open-data exports of the institution module: one table per public object type. Each
function takes a government and returns rows (dicts with the same keys, in column order).
Private events, hidden units and unpublished authorities are never exported."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable

from . import selectors


def units_rows(government) -> list[dict]:
    return [
        {
            "slug": unit.slug,
            "name": unit.name,
            "acronym": unit.acronym,
            "kind": unit.kind,
            "parent": unit.parent.slug if unit.parent_id and unit.parent.is_public else "",
            "head": unit.head.name if unit.head_id and unit.head.is_published else "",
            "description": unit.description,
            "functions": "; ".join(unit.function_list()),
            "email": unit.email,
            "phone": unit.phone,
            "address": unit.address,
            "updated_at": unit.updated_at.isoformat(),
        }
        for unit in selectors.public_units(government).order_by("order", "name")
    ]


def authorities_rows(government) -> list[dict]:
    return [
        {
            "slug": authority.slug,
            "name": authority.name,
            "position": authority.position,
            "unit": authority.unit.slug if authority.unit_id and authority.unit.is_public else "",
            "term_start": authority.term_start.isoformat() if authority.term_start else "",
            "term_end": authority.term_end.isoformat() if authority.term_end else "",
            "email": authority.email,
            "phone": authority.phone,
            "updated_at": authority.updated_at.isoformat(),
        }
        for authority in selectors.published_authorities(government).order_by("order", "name")
    ]


def events_rows(government) -> list[dict]:
    return [
        {
            "uid": str(event.uid),
            "title": event.title,
            "starts_at": event.starts_at.isoformat(),
            "ends_at": event.ends_at.isoformat() if event.ends_at else "",
            "all_day": event.all_day,
            "location": event.location,
            "status": event.status,
            "unit": event.unit.slug if event.unit_id and event.unit.is_public else "",
            "authorities": "; ".join(a.slug for a in event.authorities.all()),
            "minutes_url": event.minutes_url,
        }
        for event in selectors.public_events(government).order_by("starts_at")
    ]


def _column(name: str, label, description="", kind: str = "text") -> OpenDataColumn:
    return OpenDataColumn(name, str(label), str(description), kind)


def _value(row: dict, column: OpenDataColumn):
    value = row[column.name]
    if column.type in ("date", "datetime") and isinstance(value, str):
        return (dt.datetime if column.type == "datetime" else dt.date).fromisoformat(value) if value else None
    return value


def _rows(function: Callable[[Any], list[dict]], government, columns) -> Callable[[], list[tuple]]:
    return lambda: [tuple(_value(row, column) for column in columns) for row in function(government)]


def tables(government) -> list[OpenDataTable]:
    """The organisation chart, the authorities and the public agenda as open data: the catalog
    publishes them and reloads them whenever an official changes them."""
    units = (
        _column("slug", _("Identifier"), _("Stable identifier of the unit.")),
        _column("name", _("Name")),
        _column("acronym", _("Acronym")),
        _column("kind", _("Kind"), _("Level of the unit in the organisation.")),
        _column("parent", _("Parent unit"), _("Identifier of the unit it reports to.")),
        _column("head", _("Head"), _("Name of the authority who leads it.")),
        _column("description", _("Description")),
        _column("functions", _("Functions"), _("Separated by semicolons.")),
        _column("email", _("E-mail")),
        _column("phone", _("Phone")),
        _column("address", _("Address")),
        _column("updated_at", _("Updated"), kind="datetime"),
    )
    authorities = (
        _column("slug", _("Identifier"), _("Stable identifier of the authority.")),
        _column("name", _("Name")),
        _column("position", _("Position")),
        _column("unit", _("Unit"), _("Identifier of the unit.")),
        _column("term_start", _("Term start"), kind="date"),
        _column("term_end", _("Term end"), kind="date"),
        _column("email", _("E-mail")),
        _column("phone", _("Phone")),
        _column("updated_at", _("Updated"), kind="datetime"),
    )
    events = (
        _column("uid", _("Identifier"), _("Stable identifier of the event (also in the iCalendar feed).")),
        _column("title", _("Title")),
        _column("starts_at", _("Starts"), kind="datetime"),
        _column("ends_at", _("Ends"), kind="datetime"),
        _column("all_day", _("All day"), kind="boolean"),
        _column("location", _("Place")),
        _column("status", _("Status")),
        _column("unit", _("Unit"), _("Identifier of the unit.")),
        _column("authorities", _("Authorities"), _("Identifiers, separated by semicolons.")),
        _column("minutes_url", _("Minutes"), _("Address of the minutes or report.")),
    )
    common = {"module": "institution", "theme": "GOVE", "frequency": "IRREG"}
    return [
        OpenDataTable(
            key="institution.units",
            title=str(_("Organisation chart of %(name)s") % {"name": government.short_name or government.name}),
            summary=str(_("The units of the government, who leads each one, what they do and how to reach them.")),
            description=str(_("Published automatically from the organisation chart of this portal.")),
            columns=units,
            rows=_rows(units_rows, government, units),
            keywords=("organigrama", "unidades"),
            **common,
        ),
        OpenDataTable(
            key="institution.authorities",
            title=str(_("Authorities of %(name)s") % {"name": government.short_name or government.name}),
            summary=str(_("Who holds each position, in which unit, and for which term.")),
            description=str(_("Published automatically from the authorities gallery of this portal.")),
            columns=authorities,
            rows=_rows(authorities_rows, government, authorities),
            keywords=("autoridades",),
            **common,
        ),
        OpenDataTable(
            key="institution.agenda",
            title=str(_("Public agenda of %(name)s") % {"name": government.short_name or government.name}),
            summary=str(_("Public events of the authorities and the institution: when, where and who takes part.")),
            description=str(_("Published automatically from the institutional agenda of this portal.")),
            columns=events,
            rows=_rows(events_rows, government, events),
            keywords=("agenda",),
            **common,
        ),
    ]
