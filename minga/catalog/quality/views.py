"""Back-office panels (datos/gestion/frescura/, datos/gestion/calidad/): which datasets are
late and by how much, per government and per publishing unit (a unit of the organisation
chart, or a publisher given as text); and the units ranked by the quality score of their
datasets, with what to fix. `?unidad=` takes a publishers.Publisher key. Viewers and up; reads only, a fixed
number of queries whatever the number of datasets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils.translation import gettext as _

from minga.core.access import requires

from ..datasets import publishers
from . import freshness
from . import scores as quality

VIEW = "catalog.view_backoffice"


def _unit(request) -> str:
    return " ".join(request.GET.get("unidad", "").split())[:200]


@requires(VIEW)
def freshness_panel(request):
    publisher = _unit(request)
    data = freshness.panel(request.government, publisher=publisher, sort=request.GET.get("orden", ""))
    base = {"unidad": data["publisher"]} if data["publisher"] else {}
    sorts = [
        (value, label, urlencode({**base, "orden": value}))
        for value, label in (
            ("unidad", _("Grouped by unit")),
            ("atraso", _("Most late first")),
            ("vencimiento", _("Due date")),
            ("titulo", _("Title")),
        )
    ]
    return render(request, "catalog/office/freshness.html", {**data, "sorts": sorts})


@requires(VIEW)
def quality_panel(request):
    government = request.government
    publisher = _unit(request)
    units = quality.ranking(government)
    unit = next((unit for unit in units if unit.key == publisher), None)
    context = {
        "units": units,
        "publisher": publisher,
        # A unit with drafts only is not ranked, but its datasets can still be listed.
        "publisher_name": unit.publisher if unit else publisher.removeprefix(publishers.UNIT_PREFIX),
        "datasets": quality.unit_datasets(government, publisher) if publisher else None,
        "unit": unit,
    }
    return render(request, "catalog/office/quality.html", context)
