"""How `package_search` reads Solr-style parameters: `fq` filters (fields, ranges on dates,
NOW arithmetic), `sort` and facets over the published datasets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db.models import Count, F, Q
from django.utils import timezone

from .ckan_errors import Invalid

# fq field -> how it filters the published datasets.
FQ_FIELDS: dict[str, Callable[[str], Q]] = {
    "tags": lambda value: Q(tags__name=value) | Q(tags__slug=value),
    "groups": lambda value: Q(themes__slug=value),
    "res_format": lambda value: Q(resources__format__iexact=value),
    "license_id": lambda value: Q(licence__code=value),
    "name": lambda value: Q(slug=value),
    "frequency": lambda value: Q(frequency=value.rsplit("/", 1)[-1]),
}
FQ_TERM = re.compile(r'\s*([+-]?)([A-Za-z_]+):("(?:[^"\\]|\\.)*"|[\[{][^\]}]*[\]}]|\S+)\s*')
# Solr ranges on dates, as harvesters send them: metadata_modified:[2024-01-01T00:00:00Z TO *]
FQ_RANGE_FIELDS = {"metadata_modified": "updated_at", "metadata_created": "created_at"}
FQ_RANGE = re.compile(r"^([\[{])\s*(\S+)\s+TO\s+(\S+)\s*([\]}])$")
FQ_NOW = re.compile(r"^NOW(?:([+-])(\d+)(DAY|DAYS|HOUR|HOURS))?(?:/DAY)?$")
# facet.field -> (value field, label field)
FACETS = {
    "tags": ("tags__name", None),
    "groups": ("themes__slug", "themes__name"),
    "res_format": ("resources__format", None),
    "license_id": ("licence__code", "licence__name"),
    "organization": ("government__slug", "government__name"),
    "frequency": ("frequency", None),
}
SORT_FIELDS = {
    "metadata_modified": "updated_at",
    "metadata_created": "created_at",
    "title_string": "title",
    "name": "slug",
    "score": "score",
    # CKAN's page-view tracking sorts; here the catalog's own daily use counts
    "views_recent": "usage_recent",
    "views_total": "usage_total",
}


def _range_bound(text: str):
    """A Solr date bound: ``*``, ``NOW`` (± days or hours) or an ISO 8601 date/time."""
    if text == "*":
        return None
    now = FQ_NOW.match(text)
    if now:
        moment = timezone.now()
        if now.group(1):
            amount = int(now.group(2)) * (1 if now.group(1) == "+" else -1)
            unit = "days" if now.group(3).startswith("DAY") else "hours"
            moment += dt.timedelta(**{unit: amount})
        return moment
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Invalid(
            f"fq: Cannot parse the date {text[:40]}", fq=["Use ISO 8601 dates such as 2024-01-01T00:00:00Z, * or NOW"]
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, dt.UTC)


def _range_term(name: str, value: str) -> Q:
    match = FQ_RANGE.match(value)
    if match is None:
        raise Invalid(f"fq: {name} takes a range such as [2024-01-01T00:00:00Z TO *]", fq=[f"{name} takes a range"])
    opening, low, high, closing = match.groups()
    field, condition = FQ_RANGE_FIELDS[name], Q()
    lower, upper = _range_bound(low), _range_bound(high)
    if lower is not None:
        condition &= Q(**{f"{field}__{'gte' if opening == '[' else 'gt'}": lower})
    if upper is not None:
        condition &= Q(**{f"{field}__{'lte' if closing == ']' else 'lt'}": upper})
    return condition


def parse_fq(text: str, government) -> tuple[Q, bool]:
    """``field:value`` terms (AND), values optionally quoted, ``-`` to exclude. Returns the
    condition and False when a term can match nothing (another organization)."""
    condition, possible, position = Q(), True, 0
    text = text.strip()
    while position < len(text):
        match = FQ_TERM.match(text, position)
        if match is None:
            raise Invalid(
                "fq: Use field:value terms separated by spaces", fq=["Use field:value terms separated by spaces"]
            )
        position = match.end()
        sign, name, value = match.groups()
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        if name == "organization" or name == "owner_org":
            matches = value in (government.slug, str(government.pk))
            if (sign == "-") == matches:
                possible = False
            continue
        if name in FQ_RANGE_FIELDS:
            term = _range_term(name, value)
            condition &= ~term if sign == "-" else term
            continue
        if name not in FQ_FIELDS:
            supported = ", ".join(["organization", *FQ_FIELDS, *FQ_RANGE_FIELDS])
            raise Invalid(f"fq: Unsupported field {name[:40]} (use {supported})", fq=[f"Unsupported field {name[:40]}"])
        term = FQ_FIELDS[name](value)
        condition &= ~term if sign == "-" else term
    return condition, possible


def parse_sort(text: str, has_scores: bool) -> list:
    order = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORT_FIELDS or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise Invalid(
                f"sort: Unsupported sort {part.strip()[:60]}",
                sort=[
                    "Use metadata_modified, metadata_created, title_string, name, score, views_recent or "
                    "views_total with asc or desc"
                ],
            )
        field = SORT_FIELDS[words[0]]
        descending = len(words) == 2 and words[1] == "desc"
        if field == "score" and not has_scores:
            continue
        order.append(F(field).desc() if descending else F(field).asc())
    return order + [F("pk").asc()]


def search_facets_for(datasets, fields: list[str], limit: int, government) -> tuple[dict, dict]:
    facets, search_facets = {}, {}
    for name in fields:
        if name not in FACETS:
            raise Invalid(f"facet.field: Unsupported field {str(name)[:40]}", **{"facet.field": ["Unsupported field"]})
        value_field, label_field = FACETS[name]
        columns = [value_field] + ([label_field] if label_field else [])
        rows = (
            datasets.order_by()
            .exclude(**{f"{value_field}__isnull": True})
            .values(*columns)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", value_field)
        )
        if limit >= 0:
            rows = rows[:limit]
        items = [
            {
                "name": str(row[value_field]),
                "display_name": str(row[label_field]) if label_field else str(row[value_field]),
                "count": row["n"],
            }
            for row in rows
        ]
        facets[name] = {item["name"]: item["count"] for item in items}
        search_facets[name] = {"title": name, "items": items}
    return facets, search_facets
