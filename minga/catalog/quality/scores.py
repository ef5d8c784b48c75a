"""The quality score of a dataset: a handful of checks anyone can understand, each with its
weight, and a score from 0 to 100 weighted over the checks that apply.

Checks are stored as keys and numbers (`Dataset.quality_checks`), never as sentences: the
words are produced when the page is shown (`reasons()`), so each visitor reads them in their
own language. The score is a system computation, not an official's action: it is saved with
a queryset update, with no audit entry, no new version and no change to `updated_at`.

| key | weight | passes when |
|---|---|---|
| metadata | 20 | description, contact, themes, keywords, period, territory and frequency are all given (partial credit) |
| open_licence | 10 | the licence is open (Open Definition) |
| open_format | 15 | at least one file or link is in an open, machine-readable format |
| dictionary | 15 | every loaded table has a data dictionary (partial credit per table) |
| valid | 15 | every table loaded, no column kept as text against its type, every column described |
| reachable | 10 | no link failed its last check (not applicable until links are checked) |
| on_time | 15 | the dataset is not late against its frequency (not applicable without a promise) |
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Avg, Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..datasets import publishers
from ..datasets.models import OPEN_FORMATS, ColumnDictionary, Dataset, Frequency, Resource
from ..tables.models import ResourceLoad
from . import freshness

WEIGHTS = {
    "metadata": 20,
    "open_licence": 10,
    "open_format": 15,
    "dictionary": 15,
    "valid": 15,
    "reachable": 10,
    "on_time": 15,
}
METADATA_ITEMS = ("description", "contact", "themes", "tags", "temporal", "spatial", "frequency")


# Computing -------------------------------------------------------------------------------


def _check(key: str, passed: bool | None, credit: float | None = None, **params) -> dict:
    if credit is None:
        credit = 1.0 if passed else 0.0
    return {"key": key, "passed": passed, "weight": WEIGHTS[key], "credit": round(credit, 3), "params": params}


def _metadata(dataset: Dataset, theme_count: int, tag_count: int) -> dict:
    present = {
        "description": bool(dataset.description.strip()),
        "contact": bool(dataset.publisher_email or dataset.contact_email),
        "themes": theme_count > 0,
        "tags": tag_count > 0,
        "temporal": bool(dataset.temporal_start or dataset.temporal_end),
        "spatial": bool(dataset.spatial_coverage),
        "frequency": dataset.frequency != Frequency.UNKNOWN,
    }
    missing = [item for item in METADATA_ITEMS if not present[item]]
    total = len(METADATA_ITEMS)
    return _check("metadata", not missing, (total - len(missing)) / total, missing=missing, total=total)


@dataclass
class TableFacts:
    """What the loads tell about one resource's table."""

    failed: bool  # the latest load failed
    columns: list[str]  # of the table being served (latest successful load)
    text_columns: int  # columns kept as text where values did not match the inferred type


def _table_facts(last: ResourceLoad | None, last_ok: ResourceLoad | None) -> TableFacts | None:
    if last is None:
        return None
    report = (last_ok.report or {}) if last_ok else {}
    columns = [column.get("name") for column in report.get("columns") or [] if column.get("name")]
    text = {note.get("column") for note in report.get("notes") or [] if note.get("code") == "kept_as_text"}
    return TableFacts(failed=last.status == ResourceLoad.Status.FAILED, columns=columns, text_columns=len(text))


def compute(
    dataset: Dataset,
    *,
    resources: list[Resource],
    tables: dict[int, TableFacts],
    described: dict[int, set[str]],
    theme_count: int,
    tag_count: int,
    today: dt.date,
) -> list[dict]:
    """The checks of one dataset from facts read in bulk (see `evaluate`)."""
    checks = [_metadata(dataset, theme_count, tag_count)]
    checks.append(_check("open_licence", bool(dataset.licence.is_open), licence=dataset.licence.code))

    open_formats = sorted({r.format for r in resources if r.format in OPEN_FORMATS})
    other_formats = sorted({r.format for r in resources if r.format not in OPEN_FORMATS})
    checks.append(
        _check(
            "open_format",
            bool(open_formats),
            total=len(resources),
            formats=open_formats,
            other=other_formats,
        )
    )

    loaded = {pk: facts for pk, facts in tables.items() if facts is not None and facts.columns}
    if loaded:
        with_dictionary = sum(1 for pk in loaded if described.get(pk))
        checks.append(
            _check(
                "dictionary",
                with_dictionary == len(loaded),
                with_dictionary / len(loaded),
                tables=len(loaded),
                described=with_dictionary,
            )
        )
    else:
        checks.append(_check("dictionary", None, 0.0, tables=0, described=0))

    attempted = {pk: facts for pk, facts in tables.items() if facts is not None}
    if attempted:
        failed = sum(1 for facts in attempted.values() if facts.failed)
        text_columns = sum(facts.text_columns for facts in attempted.values())
        undescribed = sum(
            len([c for c in facts.columns if c not in described.get(pk, set())]) for pk, facts in attempted.items()
        )
        checks.append(
            _check(
                "valid",
                not (failed or text_columns or undescribed),
                failed=failed,
                text_columns=text_columns,
                undescribed=undescribed,
            )
        )
    else:
        checks.append(_check("valid", None, 0.0, failed=0, text_columns=0, undescribed=0))

    checked = [r for r in resources if r.reachable is not None]
    if checked:
        broken = [r for r in checked if r.reachable is False]
        moments = [r.reachability_checked_at for r in (broken or checked) if r.reachability_checked_at]
        on = timezone.localtime(max(moments), freshness.government_zone()).date().isoformat() if moments else ""
        checks.append(_check("reachable", not broken, unreachable=len(broken), checked=len(checked), on=on))
    else:
        checks.append(_check("reachable", None, 0.0, unreachable=0, checked=0, on=""))

    state = freshness.status(dataset, today=today)
    if state.promised:
        checks.append(
            _check(
                "on_time",
                not state.is_late,
                days=state.days if state.is_late else 0,
                due=state.due.isoformat() if state.due else "",
            )
        )
    else:
        checks.append(_check("on_time", None, 0.0, days=0, due=""))
    return checks


def score(checks: list[dict]) -> int | None:
    """0–100: the weighted credit over the checks that apply (None when none applies)."""
    applicable = [c for c in checks if c.get("passed") is not None]
    weight = sum(c["weight"] for c in applicable)
    if not weight:
        return None
    earned = sum(c["weight"] * (1.0 if c["passed"] else c.get("credit", 0.0)) for c in applicable)
    return round(100 * earned / weight)


def _latest_loads(
    resource_ids: list[int], governments: set[int]
) -> tuple[dict[int, ResourceLoad], dict[int, ResourceLoad]]:
    """The latest load and the latest successful load of each resource (three queries)."""
    if not resource_ids:
        return {}, {}
    loads = ResourceLoad.objects.for_governments(governments).filter(resource_id__in=resource_ids)
    latest = dict(loads.values("resource_id").annotate(pk=Max("pk")).values_list("resource_id", "pk"))
    latest_ok = dict(
        loads.filter(status=ResourceLoad.Status.SUCCEEDED)
        .values("resource_id")
        .annotate(pk=Max("pk"))
        .values_list("resource_id", "pk")
    )
    wanted = set(latest.values()) | set(latest_ok.values())
    by_pk = {
        load.pk: load
        for load in ResourceLoad.objects.for_governments(governments).filter(pk__in=wanted).only("pk", "resource_id", "status", "report")
    }
    return (
        {rid: by_pk[pk] for rid, pk in latest.items() if pk in by_pk},
        {rid: by_pk[pk] for rid, pk in latest_ok.items() if pk in by_pk},
    )


def evaluate(datasets, *, today: dt.date) -> dict[int, tuple[int | None, list[dict]]]:
    """{dataset pk: (score, checks)} for a queryset of datasets, with a fixed number of
    queries whatever their number."""
    datasets = list(
        datasets.select_related("licence").annotate(
            n_themes=Count("themes", distinct=True), n_tags=Count("tags", distinct=True)
        )
    )
    ids = [dataset.pk for dataset in datasets]
    # The datasets' own governments: a province's catalog lists its cantons' datasets too.
    governments = {dataset.government_id for dataset in datasets}
    resources: dict[int, list[Resource]] = {}
    for resource in Resource.objects.for_governments(governments).filter(dataset_id__in=ids).order_by("order", "pk"):
        resources.setdefault(resource.dataset_id, []).append(resource)
    resource_ids = [r.pk for items in resources.values() for r in items]
    latest, latest_ok = _latest_loads(resource_ids, governments)
    described: dict[int, set[str]] = {}
    entries = ColumnDictionary.objects.for_governments(governments).filter(resource_id__in=resource_ids).filter(
        ~Q(label="") | ~Q(description="")
    )
    for resource_id, column in entries.values_list("resource_id", "column"):
        described.setdefault(resource_id, set()).add(column)
    results = {}
    for dataset in datasets:
        own = resources.get(dataset.pk, [])
        tables = {r.pk: _table_facts(latest.get(r.pk), latest_ok.get(r.pk)) for r in own}
        checks = compute(
            dataset,
            resources=own,
            tables=tables,
            described=described,
            theme_count=dataset.n_themes,
            tag_count=dataset.n_tags,
            today=today,
        )
        results[dataset.pk] = (score(checks), checks)
    return results


def refresh(*, government, dataset_ids=None, now: dt.datetime | None = None) -> int:
    """Compute and store the score of the government's datasets (or of the given ones).
    Returns how many were scored."""
    now = now or timezone.now()
    today = freshness.government_today(government, now=now)
    datasets = Dataset.objects.for_government(government)
    if dataset_ids is not None:
        datasets = datasets.filter(pk__in=list(dataset_ids))
    results = evaluate(datasets, today=today)
    rows = []
    for pk, (value, checks) in results.items():
        rows.append(Dataset(pk=pk, quality_score=value, quality_checks=checks, quality_checked_at=now))
    # bulk_update is a plain UPDATE: updated_at and the version stay as they are.
    Dataset.objects.for_government(government).bulk_update(rows, ["quality_score", "quality_checks", "quality_checked_at"], batch_size=200)
    return len(rows)


def refresh_dataset(*, government, dataset_id: int, now: dt.datetime | None = None) -> int:
    return refresh(government=government, dataset_ids=[dataset_id], now=now)


# Words -----------------------------------------------------------------------------------

OK, FAIL, NOT_APPLICABLE = "ok", "fail", "na"


@dataclass(frozen=True)
class Reason:
    key: str
    state: str  # ok, fail, na
    text: str  # for citizens
    fix: str = ""  # for officials: what to do about it


def _date(iso: str) -> str:
    if not iso:
        return ""
    try:
        return formats.date_format(dt.date.fromisoformat(iso), "DATE_FORMAT")
    except ValueError:
        return iso


def _metadata_item(item: str) -> str:
    return {
        "description": _("a description"),
        "contact": _("a contact e-mail"),
        "themes": _("themes"),
        "tags": _("keywords"),
        "temporal": _("the period covered"),
        "spatial": _("the territory covered"),
        "frequency": _("how often it is updated"),
    }.get(item, item)


def reason(check: dict) -> Reason:
    """One stored check in plain words of the current language."""
    key, passed, p = check.get("key", ""), check.get("passed"), check.get("params") or {}
    state = NOT_APPLICABLE if passed is None else (OK if passed else FAIL)
    if key == "metadata":
        if passed:
            return Reason(key, state, _("Its description is complete"))
        missing = ", ".join(_metadata_item(item) for item in p.get("missing", []))
        return Reason(
            key,
            state,
            _("Its description lacks %(missing)s") % {"missing": missing},
            _("Edit the dataset and add %(missing)s.") % {"missing": missing},
        )
    if key == "open_licence":
        if passed:
            return Reason(
                key, state, _("Anyone may reuse it: open licence (%(licence)s)") % {"licence": p.get("licence")}
            )
        return Reason(
            key,
            state,
            _("Its licence (%(licence)s) does not allow free reuse") % {"licence": p.get("licence")},
            _("Choose an open licence such as CC-BY 4.0."),
        )
    if key == "open_format":
        if passed:
            return Reason(
                key,
                state,
                _("Available in an open format that programs can read (%(formats)s)")
                % {"formats": ", ".join(p.get("formats", []))},
            )
        if not p.get("total"):
            return Reason(key, state, _("It has no files or links yet"), _("Add the data as a CSV file."))
        return Reason(
            key,
            state,
            _("Only in formats that are hard to reuse (%(formats)s)") % {"formats": ", ".join(p.get("other", []))},
            _("Add the data as a CSV, JSON or XLSX file."),
        )
    if key == "dictionary":
        if passed is None:
            return Reason(key, state, _("No table to describe yet"))
        if passed:
            return Reason(key, state, _("Has a data dictionary explaining its columns"))
        tables, described = p.get("tables", 0), p.get("described", 0)
        if described == 0:
            text = _("Has no data dictionary explaining its columns")
        else:
            text = ngettext(
                "%(missing)s of its %(tables)s table has no data dictionary",
                "%(missing)s of its %(tables)s tables have no data dictionary",
                tables,
            ) % {"missing": tables - described, "tables": tables}
        return Reason(key, state, text, _("Open each file's data dictionary and describe its columns."))
    if key == "valid":
        if passed is None:
            return Reason(key, state, _("No table has been loaded yet"))
        if passed:
            return Reason(key, state, _("Its data matches the description of its columns"))
        parts, fixes = [], []
        if p.get("failed"):
            parts.append(
                ngettext(
                    "%(count)s file could not be read as a table",
                    "%(count)s files could not be read as tables",
                    p["failed"],
                )
                % {"count": p["failed"]}
            )
            fixes.append(_("See the load report of each file and upload a corrected one."))
        if p.get("text_columns"):
            parts.append(
                ngettext(
                    "%(count)s column has values that do not match its type",
                    "%(count)s columns have values that do not match their type",
                    p["text_columns"],
                )
                % {"count": p["text_columns"]}
            )
            fixes.append(_("Correct the values the load report lists (numbers or dates written as text)."))
        if p.get("undescribed"):
            parts.append(
                ngettext(
                    "%(count)s column is not described",
                    "%(count)s columns are not described",
                    p["undescribed"],
                )
                % {"count": p["undescribed"]}
            )
            fixes.append(_("Describe every column in the data dictionary."))
        return Reason(key, state, "; ".join(parts), " ".join(fixes))
    if key == "reachable":
        if passed is None:
            return Reason(key, state, _("Its links have not been checked yet"))
        day = _date(p.get("on", ""))
        if passed:
            return Reason(key, state, _("Its files and links worked when checked on %(date)s") % {"date": day})
        text = ngettext(
            "%(count)s link could not be reached on %(date)s",
            "%(count)s links could not be reached on %(date)s",
            p.get("unreachable", 0),
        ) % {"count": p.get("unreachable", 0), "date": day}
        return Reason(key, state, text, _("Fix or replace the links that do not work."))
    if key == "on_time":
        if passed is None:
            return Reason(key, state, _("No regular updates are promised"))
        if passed:
            return Reason(
                key, state, _("Updated on time (next update due %(date)s)") % {"date": _date(p.get("due", ""))}
            )
        text = ngettext(
            "Late: the update was due on %(date)s, %(days)s day ago",
            "Late: the update was due on %(date)s, %(days)s days ago",
            p.get("days", 0),
        ) % {"date": _date(p.get("due", "")), "days": p.get("days", 0)}
        return Reason(key, state, text, _("Publish the new data, or correct the update frequency."))
    return Reason(key, state, key)


def reasons(dataset: Dataset) -> list[Reason]:
    return [reason(check) for check in dataset.quality_checks or []]


def to_fix(dataset: Dataset) -> list[Reason]:
    return [item for item in reasons(dataset) if item.state == FAIL]


def level(value: int | None) -> str:
    """A word for the score band, for styling and screen readers."""
    if value is None:
        return ""
    if value >= 80:
        return "high"
    if value >= 50:
        return "medium"
    return "low"


def level_label(value: int | None) -> str:
    return {"high": _("Good"), "medium": _("Fair"), "low": _("Needs work")}.get(level(value), _("Not scored yet"))


# The back-office panel -------------------------------------------------------------------


@dataclass
class UnitQuality:
    publisher: str  # the name shown
    average: float | None
    datasets: int
    scored: int
    late: int
    rank: int = 0
    key: str = ""  # the panel's ?unidad= value (publishers.Publisher.key)
    url: str = ""  # the unit's public page, when the chart lists it

    @property
    def rounded(self) -> int | None:
        return None if self.average is None else round(self.average)

    @property
    def level(self) -> str:
        return level(self.rounded)


def ranking(government, *, today: dt.date | None = None) -> list[UnitQuality]:
    """The government's publishing units ranked by the average score of their published
    datasets (best first; units not scored yet last), with their late count. One grouped
    query (by unit and label: a unit's datasets may carry an older name) merged here."""
    today = today or freshness.government_today(government)
    rows = (
        Dataset.objects.filter(government=government, is_published=True)
        .order_by()
        .values("publisher_unit", "publisher")
        .annotate(
            average=Avg("quality_score"),
            datasets=Count("pk"),
            scored=Count("quality_score"),
            late=Count("pk", filter=Q(next_update_due__lt=today)),
        )
        .order_by("publisher_unit", "publisher")
    )
    directory = publishers.Directory()
    merged: dict[str, list] = {}  # key -> [publisher, score sum, datasets, scored, late]
    for row in rows:
        who = directory.of(Dataset(publisher=row["publisher"], publisher_unit=row["publisher_unit"]), government)
        entry = merged.setdefault(who.key, [who, 0.0, 0, 0, 0])
        entry[1] += (row["average"] or 0) * row["scored"]
        entry[2] += row["datasets"]
        entry[3] += row["scored"]
        entry[4] += row["late"]
    units = [
        UnitQuality(who.name, total / scored if scored else None, datasets, scored, late, key=who.key, url=who.url)
        for who, total, datasets, scored, late in merged.values()
    ]
    units.sort(key=lambda u: (u.average is None, -(u.average or 0), u.late, u.publisher.lower()))
    for number, unit in enumerate(units, start=1):
        unit.rank = number
    return units


def unit_datasets(government, publisher: str) -> list[Dataset]:
    """One unit's datasets (`publisher`: a publishers.Publisher key; drafts too: officials
    fix them before publishing), weakest first, each with `to_fix` set to what to do about
    its failed checks."""
    datasets = Dataset.objects.filter(government=government)
    if publisher.startswith(publishers.UNIT_PREFIX):
        datasets = datasets.filter(publisher_unit=publisher.removeprefix(publishers.UNIT_PREFIX))
    else:
        datasets = datasets.filter(publisher=publisher, publisher_unit="")
    datasets = list(datasets)
    datasets.sort(key=lambda d: (d.quality_score is None, d.quality_score or 0, d.title.lower()))
    for dataset in datasets:
        dataset.to_fix = to_fix(dataset)
    return datasets
