"""The effectiveness review as an open-data table the catalog publishes: one row per month with
visits, follows, comments, silla vacía requests and citizens attending. The catalog reloads it
daily (and when the secretariat changes the launch date or an attendance figure)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from minga.core.opendata import OpenDataColumn, OpenDataTable

from .selectors import review

KEY = "council.effectiveness"


def _columns() -> tuple[OpenDataColumn, ...]:
    def column(name, label, description="", kind="integer"):
        return OpenDataColumn(name, str(label), str(description), kind)

    return (
        column("mes", _("Month"), _("First day of the month."), "date"),
        column(
            "antes_del_lanzamiento", _("Before the launch"), _("The month is before the portal's launch."), "boolean"
        ),
        column("visitas", _("Visits"), _("Views of the council's public pages, counted without personal data.")),
        column("nuevos_seguimientos", _("New follows"), _("Acts, committees, members and subjects followed.")),
        column("comentarios", _("Comments"), _("Citizens' comments shown on acts and their articles.")),
        column("silla_vacia_acreditadas", _("Silla vacía: accredited"), _("Requests accredited that month.")),
        column("silla_vacia_negadas", _("Silla vacía: denied"), _("Requests denied that month.")),
        column("sesiones", _("Sessions held")),
        column("asistentes", _("Citizens attending"), _("Members of the public in the room at those sessions.")),
    )


def rows(government) -> list[tuple]:
    found = review(government, today=timezone.localdate(), with_acts=False)
    return [
        (
            month.month,
            month.before_launch,
            month.visits,
            month.followers,
            month.comments,
            month.seat_accepted,
            month.seat_denied,
            month.sessions,
            month.attendance,
        )
        for month in found.months
    ]


def tables(government) -> list[OpenDataTable]:
    return [
        OpenDataTable(
            key=KEY,
            module="council",
            title=str(_("Effectiveness of the Open Council")),
            summary=str(
                _(
                    "How many people read the council's pages each month and how many took part: follows, comments, "
                    "silla vacía requests and citizens attending sessions."
                )
            ),
            description=str(
                _(
                    "Published automatically from the effectiveness review of this portal. Visits are daily totals "
                    "counted on the server, with no cookies, addresses or accounts; crawlers are left out."
                )
            ),
            columns=_columns(),
            rows=lambda: rows(government),
            theme="GOVE",
            keywords=("concejo abierto", "participación ciudadana", "efectividad"),
            frequency="MONTHLY",
        )
    ]
