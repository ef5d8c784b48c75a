"""The open-data table of the public works (`works.projects`), published by the catalog as a
dataset and reloaded whenever a public project or its progress changes. Column names are in
Spanish, as the portal's datasets are; the data dictionary explains each one."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minga.core.opendata import OpenDataColumn, OpenDataTable
from minga.core.tenancy.scoping import government_scope

from . import indicators, selectors
from .models import ProjectLink

COLUMNS = (
    ("identificador", gettext_noop("Public identifier of the project"), "text", ""),
    ("codigo", gettext_noop("Code in the planning system"), "text", ""),
    ("titulo", gettext_noop("Title"), "text", ""),
    ("sector", gettext_noop("Sector"), "text", ""),
    ("estado", gettext_noop("Status"), "text", ""),
    ("objetivos_pdot", gettext_noop("PDOT objectives (separated by “;”)"), "text", ""),
    ("metas_ods", gettext_noop("SDG targets (separated by “;”)"), "text", ""),
    ("area_interes", gettext_noop("Area of interest"), "text", ""),
    ("unidad_responsable", gettext_noop("Responsible unit"), "text", ""),
    ("contratista", gettext_noop("Contractor"), "text", ""),
    ("codigo_dpa", gettext_noop("DPA code of the location"), "text", ""),
    ("territorio", gettext_noop("Canton or parish"), "text", ""),
    ("longitud", gettext_noop("Longitude of the centre (WGS 84)"), "number", "°"),
    ("latitud", gettext_noop("Latitude of the centre (WGS 84)"), "number", "°"),
    ("beneficiarios", gettext_noop("Beneficiaries"), "integer", "people"),
    ("inicio_planificado", gettext_noop("Planned start"), "date", ""),
    ("fin_planificado", gettext_noop("Planned end"), "date", ""),
    ("inicio_real", gettext_noop("Actual start"), "date", ""),
    ("fin_real", gettext_noop("Actual end"), "date", ""),
    ("monto_planificado", gettext_noop("Planned amount"), "number", "USD"),
    ("monto_contratado", gettext_noop("Contracted amount"), "number", "USD"),
    ("monto_pagado", gettext_noop("Amount paid"), "number", "USD"),
    ("avance_fisico", gettext_noop("Physical progress"), "number", "%"),
    ("avance_financiero", gettext_noop("Financial progress"), "number", "%"),
    ("ultima_actualizacion", gettext_noop("Date of the latest progress update"), "date", ""),
    ("dias_sin_actualizacion", gettext_noop("Days since the latest progress update"), "integer", "days"),
    ("alertas", gettext_noop("Flags raised (separated by “;”)"), "text", ""),
    ("partidas", gettext_noop("Budget lines “year:partida” (separated by “;”)"), "text", ""),
    ("ocids", gettext_noop("Contracting processes (OCIDs, separated by “;”)"), "text", ""),
)


def _rows(government):
    with government_scope(government):
        projects = indicators.attach(
            selectors.public_projects(government).order_by("slug"), government=government, today=timezone.localdate()
        )
        links = selectors.links_of(government, [p.pk for p in projects])
        for p in projects:
            centre = p.centre or (None, None)
            mine = links.get(p.pk, [])
            yield [
                p.slug,
                p.code,
                p.title,
                p.sector_label,
                p.status_label,
                "; ".join(p.pdot_objectives),
                "; ".join(p.sdg_targets),
                p.area_of_interest,
                p.responsible_unit,
                p.contractor,
                p.dpa_code,
                p.territory_name,
                round(centre[0], 6) if centre[0] is not None else None,
                round(centre[1], 6) if centre[1] is not None else None,
                p.beneficiaries,
                p.planned_start,
                p.planned_end,
                p.actual_start,
                p.actual_end,
                p.amount_planned,
                p.amount_contracted,
                p.amount_paid,
                p.physical_progress,
                p.financial_progress,
                p.last_progress_on,
                p.indicators.days_since_update,
                "; ".join(p.indicators.flags),
                "; ".join(link.key for link in mine if link.kind == ProjectLink.Kind.BUDGET_LINE),
                "; ".join(link.key for link in mine if link.kind == ProjectLink.Kind.PROCESS),
            ]


def tables(government) -> list[OpenDataTable]:
    return [
        OpenDataTable(
            key="works.projects",
            module="works",
            title=_("Public works and investment projects of %(name)s")
            % {"name": government.short_name or government.name},
            summary=_("Every public work of the government with its location, amounts, progress and flags."),
            description=_(
                "One row per published project: sector, status, PDOT objectives, location (centre and DPA code), "
                "planned and actual dates, planned, contracted and paid amounts, the latest physical and financial "
                "progress, the flags the portal computes and the linked budget lines and contracting processes."
            ),
            columns=tuple(OpenDataColumn(name, _(label), type=kind, unit=unit) for name, label, kind, unit in COLUMNS),
            rows=lambda: _rows(government),
            theme="GOVE",
            keywords=("obras públicas", "inversión", "OC4IDS"),
            frequency="IRREG",
        )
    ]
