"""What the institution module makes findable: public units, published authorities and public
events. Private events and unpublished authorities are never indexed."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .models import AgendaEvent, Authority, Unit


def _units(government):
    return Unit.objects.filter(government=government).public()


def _unit_entry(unit: Unit) -> SearchEntry:
    return SearchEntry(
        title=f"{unit.name} ({unit.acronym})" if unit.acronym else unit.name,
        url=government_path("institution:unit_detail", slug=unit.slug),
        summary=unit.description[:300],
        body="\n".join([unit.functions, unit.head.name if unit.head_id and unit.head.is_published else ""]),
        updated_at=unit.updated_at,
    )


def _authorities(government):
    return Authority.objects.filter(government=government).published()


def _authority_entry(authority: Authority) -> SearchEntry:
    unit = authority.unit.name if authority.unit_id and authority.unit.is_public else ""
    return SearchEntry(
        title=authority.name,
        url=government_path("institution:authority_detail", slug=authority.slug),
        summary=" · ".join(part for part in (authority.position, unit) if part),
        body=authority.biography,
        updated_at=authority.updated_at,
    )


def _events(government):
    return AgendaEvent.objects.filter(government=government).public()


def _event_entry(event: AgendaEvent) -> SearchEntry:
    return SearchEntry(
        title=event.title,
        url=government_path("institution:event_detail", uid=event.uid),
        summary=event.location,
        body="\n".join([event.description, event.participants]),
        updated_at=event.updated_at,
    )


REGISTRATIONS = (
    SearchRegistration(
        kind="institution.unit", module="institution", label=_("Units"), queryset=_units, entry=_unit_entry
    ),
    SearchRegistration(
        kind="institution.authority",
        module="institution",
        label=_("Authorities"),
        queryset=_authorities,
        entry=_authority_entry,
    ),
    SearchRegistration(
        kind="institution.event", module="institution", label=_("Agenda"), queryset=_events, entry=_event_entry
    ),
)
