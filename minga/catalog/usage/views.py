"""The public statistics of the catalog: how much its data is used (last 30 days and all time,
by kind), the most used datasets, the published datasets no one has used, the daily trend as a
chart drawn on the server (with the same figures as a table), and searches that found nothing,
as a sign of data people look for and do not find."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from minga.core.ui.page_cache import public_page

from . import selectors as usage_selectors
from . import services as usage


@public_page
def statistics(request):
    government = request.government
    today = timezone.localdate()
    stats = usage_selectors.statistics(government, today=today)
    catalog_url, request_url = reverse("catalog:dataset_list"), reverse("catalog:request_create")
    demand = [
        {
            "row": row,
            "search_url": f"{catalog_url}?{urlencode({'q': row.query})}",
            "request_url": f"{request_url}?{urlencode({'titulo': row.query})}",
        }
        for row in stats.demand
    ]
    kinds = usage.Kind.choices
    for top in stats.top:
        top.split = [top.by_kind[value] for value, _label in kinds]
    context = {
        "stats": stats,
        "kinds": kinds,
        "kind_rows": [(label, stats.recent[value], stats.all_time[value]) for value, label in kinds],
        "demand": demand,
        "today": today,
        "recent_days": usage.RECENT_DAYS,
        "trend_days": usage.TREND_DAYS,
    }
    return render(request, "catalog/stats.html", context)
