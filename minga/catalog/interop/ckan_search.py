"""How `package_search` reads Solr-style parameters: `fq` filters (fields, ranges on dates,
NOW arithmetic), `sort` and facets over the published datasets."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from django.db.models import Q
from django.utils import timezone

from ..datasets.selectors import facet_rows
from ..models import Theme
from .ckan_errors import Invalid

# fq field -> how it filters the published datasets.
FQ_FIELDS: dict[str, Callable[[str], Q]] = {
    "tags": lambda value: Q(tags__name=value) | Q(tags__slug=value),
    "groups": lambda value: Q(themes__slug=value),
    "res_format": lambda value: Q(resources__format__iexact=value),
    "license_id": lambda value: Q(licence__code=value),
    "name": lambda value: Q(slug=value),
    "title": lambda value: Q(title__icontains=value),
    "id": lambda value: Q(pk=int(value)) if value.isdigit() else NOTHING,
    "frequency": lambda value: Q(frequency=value.rsplit("/", 1)[-1]),
    "organization": lambda value: Q(government__slug=value),
    "owner_org": lambda value: Q(government__slug=value) | (Q(government_id=int(value)) if value.isdigit() else NOTHING),
    # Every package here is a public dataset: CKAN clients add these to leave out other types.
    "dataset_type": lambda value: Q() if value == "dataset" else NOTHING,
    "type": lambda value: Q() if value == "dataset" else NOTHING,
    "capacity": lambda value: Q() if value == "public" else NOTHING,
    "state": lambda value: Q() if value == "active" else NOTHING,
}
NOTHING = Q(pk__in=[])
# One token of a Solr/Lucene query: parentheses, AND/OR/NOT, or a [+-]field:value term whose
# value is quoted, a range, a parenthesised list of alternatives or a bare word.
FQ_TOKEN = re.compile(
    r'\s*(?:(?P<open>[+-]?\()|(?P<close>\))|(?P<op>AND|OR|NOT|&&|\|\|)(?=[\s(]|$)|(?P<all>\*:\*)'
    r'|(?P<sign>[+-]?)(?P<name>[A-Za-z_]+):(?P<value>"(?:[^"\\]|\\.)*"|[\[{][^\]}]*[\]}]|\([^)]*\)|[^\s()]+))'
)
FIELD_QUERY = re.compile(r"^\s*[+-]?\(?\s*[A-Za-z_]+:")
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
# sort field -> the dataset fields it orders by
SORT_FIELDS = {
    "id": ("pk",),
    "metadata_modified": ("updated_at",),
    "metadata_created": ("created_at",),
    "title_string": ("title",),
    "name": ("slug",),
    "score": ("score",),
    # CKAN's page-view tracking sorts; here the catalog's own daily use counts
    "views_recent": ("usage_recent",),
    "views_total": ("usage_total",),
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


def _unquote(value: str) -> str:
    return value[1:-1].replace('\\"', '"') if value.startswith('"') else value


def _prefixed(name: str, value: str, site) -> Q | None:
    """On the platform a dataset's or theme's name is ``<government>--<slug>``: that
    government's one (a bare slug still matches any government's)."""
    if site is None or not site.platform or name not in ("name", "groups"):
        return None
    pairs = site.split(value)
    if not pairs:
        return None
    field = "slug" if name == "name" else "themes__slug"
    condition = NOTHING
    for government, slug in pairs:
        condition |= Q(government=government, **{field: slug})
    return condition


def _term(name: str, value: str, site=None) -> Q:
    if name in FQ_RANGE_FIELDS:
        return _range_term(name, value)
    if name not in FQ_FIELDS:
        supported = ", ".join([*FQ_FIELDS, *FQ_RANGE_FIELDS])
        raise Invalid(f"fq: Unsupported field {name[:40]} (use {supported})", fq=[f"Unsupported field {name[:40]}"])
    if value.startswith("(") and value.endswith(")"):  # field:(a OR b): any of the values
        condition = NOTHING
        for word in re.findall(r'"(?:[^"\\]|\\.)*"|[^\s]+', value[1:-1]):
            if word not in ("OR", "||"):
                word = _unquote(word)
                condition |= _prefixed(name, word, site) or FQ_FIELDS[name](word)
        return condition
    value = _unquote(value)
    return _prefixed(name, value, site) or FQ_FIELDS[name](value)


def _syntax_error() -> Invalid:
    return Invalid(
        "fq: Use field:value terms, joined by spaces (all of them), OR or parentheses",
        fq=["Use field:value terms separated by spaces, OR and parentheses"],
    )


class _Parser:
    """Solr's standard query syntax as CKAN clients write it: terms joined by spaces or AND
    (all must hold), OR (either), NOT or ``-`` (must not), parentheses; AND binds the terms
    on either side of an OR, as in ``organization:a OR organization:b metadata_modified:[… TO *]``
    (ckanext-harvest's filter: from a or b, and changed since)."""

    def __init__(self, text: str, site=None) -> None:
        self.site = site
        self.tokens, position = [], 0
        while position < len(text):
            if not text[position:].strip():
                break
            match = FQ_TOKEN.match(text, position)
            if match is None or match.end() == position:
                raise _syntax_error()
            self.tokens.append(match)
            position = match.end()
        self.at = 0

    def _peek(self, kind: str):
        token = self.tokens[self.at] if self.at < len(self.tokens) else None
        return token if token is not None and token.group(kind) is not None else None

    def parse(self) -> Q:
        condition = self._all()
        if self.at != len(self.tokens):
            raise _syntax_error()
        return condition

    def _all(self) -> Q:
        parts = []
        while self.at < len(self.tokens) and not self._peek("close"):
            op = self._peek("op")
            if op is not None and op.group("op") in ("AND", "&&"):
                self.at += 1
                continue
            parts.append(self._any())
        if not parts:
            raise _syntax_error()
        condition = parts[0]
        for part in parts[1:]:
            condition &= part
        return condition

    def _any(self) -> Q:
        condition = self._one()
        while (op := self._peek("op")) is not None and op.group("op") in ("OR", "||"):
            self.at += 1
            condition |= self._one()
        return condition

    def _one(self) -> Q:
        if self.at >= len(self.tokens):
            raise _syntax_error()
        token = self.tokens[self.at]
        self.at += 1
        if token.group("op") == "NOT":
            return ~self._one()
        if token.group("all"):
            return Q()
        if token.group("open"):
            condition = self._all()
            if not self._peek("close"):
                raise _syntax_error()
            self.at += 1
            return ~condition if token.group("open").startswith("-") else condition
        if token.group("name") is None:
            raise _syntax_error()
        condition = _term(token.group("name"), token.group("value"), self.site)
        return ~condition if token.group("sign") == "-" else condition


def parse_fq(text: str, site=None) -> Q:
    """The condition a Solr filter query (``fq``, or a field query in ``q``) stands for."""
    return _Parser(text.strip(), site).parse() if text.strip() else Q()


def is_field_query(q: str) -> bool:
    """CKAN passes a ``q`` with a field (``name:siniestros``) to Solr as a query, not as words."""
    return bool(FIELD_QUERY.match(q)) or q.strip() == "*:*"


def parse_sort(text: str, *, platform: bool = False) -> list[tuple[str, bool]]:
    """(dataset field, descending) pairs; ``score`` stays as it is (it exists only for text
    queries), the primary key last so that every page is stable."""
    order: list[tuple[str, bool]] = []
    for part in text.split(","):
        words = part.split()
        if not words:
            continue
        if len(words) > 2 or words[0] not in SORT_FIELDS or (len(words) == 2 and words[1] not in ("asc", "desc")):
            raise Invalid(
                f"sort: Unsupported sort {part.strip()[:60]}",
                sort=[
                    "Use id, metadata_modified, metadata_created, title_string, name, score, views_recent or "
                    "views_total with asc or desc"
                ],
            )
        descending = len(words) == 2 and words[1] == "desc"
        fields = ("government__slug", "slug") if words[0] == "name" and platform else SORT_FIELDS[words[0]]
        order += [(field, descending) for field in fields]
    if not any(field == "pk" for field, _descending in order):
        order.append(("pk", False))
    return order


def facet_lists(datasets, fields: list[str], limit: int, site=None) -> tuple[dict, dict]:
    """CKAN's ``facets`` and ``search_facets`` over the matching datasets, counted by the
    catalog search's own facet counter (on the platform, themes by id, then named
    ``<government>--<slug>`` as group_list names them)."""
    facets, search_facets = {}, {}
    for name in fields:
        if name not in FACETS:
            raise Invalid(f"facet.field: Unsupported field {str(name)[:40]}", **{"facet.field": ["Unsupported field"]})
        value_field, label_field = FACETS[name]
        if name == "groups" and site is not None and site.platform:
            counted = _platform_groups(facet_rows(datasets, name, "themes__id", label_field), site)
        else:
            counted = facet_rows(datasets, name, value_field, label_field)
        ordered = sorted(counted.items(), key=lambda item: (-item[1][1], item[0]))
        if limit >= 0:
            ordered = ordered[:limit]
        items = [{"name": value, "display_name": label, "count": n} for value, (label, n) in ordered]
        facets[name] = {item["name"]: item["count"] for item in items}
        search_facets[name] = {"title": name, "items": items}
    return facets, search_facets


def _platform_groups(counted: dict[str, list], site) -> dict[str, list]:
    themes = Theme.objects.filter(pk__in=[int(pk) for pk in counted]).select_related("government")
    return {site.name(theme.government, theme.slug): counted[str(theme.pk)] for theme in themes}
