"""Open-data exports of the institution module: one table per public object type. Each
function takes a government and returns rows (dicts with the same keys, in column order).
Private events, hidden units and unpublished authorities are never exported."""

from __future__ import annotations

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


units_rows.export_name = "unidades"
authorities_rows.export_name = "autoridades"
events_rows.export_name = "agenda"

EXPORTS = (units_rows, authorities_rows, events_rows)
