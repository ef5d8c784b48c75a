"""The freshness promise: for every dataset, when its data was last updated, when the next
update is due (stored in `Dataset.next_update_due`, computed from the declared frequency) and
whether it is on time, due soon or late — counted in days of the government's own calendar,
so a dataset due on Monday turns late at midnight in Ecuador, not at midnight UTC.

Reads only. Lists call `attach()` once per page: it fills in what every row needs with at
most two queries, whatever the number of datasets."""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..datasets import publishers
from ..datasets.models import Dataset, Frequency, Resource
from ..tables.models import ResourceLoad

ON_TIME = "on_time"
DUE_SOON = "due_soon"
LATE = "late"
NO_PROMISE = "none"

# How many days before the due date a dataset counts as "due soon", per frequency: a daily
# dataset is always due tomorrow, so warning about it would be noise.
DUE_SOON_DAYS = {
    Frequency.CONTINUOUS: 0,
    Frequency.DAILY: 0,
    Frequency.WEEKLY: 1,
    Frequency.MONTHLY: 7,
    Frequency.QUARTERLY: 14,
    Frequency.BIANNUAL: 14,
    Frequency.ANNUAL: 30,
}


def government_zone(government=None) -> zoneinfo.ZoneInfo:
    """The government's time zone. Governments share the platform's (Ecuador mainland) until
    one needs its own (Galápagos), which would be a `time_zone` field on Government."""
    name = getattr(government, "time_zone", "") or settings.TIME_ZONE
    return zoneinfo.ZoneInfo(name)


def government_today(government=None, *, now: dt.datetime | None = None) -> dt.date:
    return timezone.localtime(now or timezone.now(), government_zone(government)).date()


@dataclass(frozen=True)
class Freshness:
    """Where a dataset stands against its promise. `days` is how late it is (late), or how
    many days are left (on time, due soon); 0 when no update is promised."""

    state: str
    due: dt.date | None
    last_updated: dt.datetime | None
    days: int = 0

    @property
    def is_late(self) -> bool:
        return self.state == LATE

    @property
    def is_due_soon(self) -> bool:
        return self.state == DUE_SOON

    @property
    def promised(self) -> bool:
        return self.state != NO_PROMISE

    @property
    def label(self) -> str:
        """In the current language (evaluated when shown)."""
        if self.state == LATE:
            return ngettext("Late by %(days)s day", "Late by %(days)s days", self.days) % {"days": self.days}
        if self.state == DUE_SOON:
            if self.days == 0:
                return _("Update due today")
            return ngettext("Update due in %(days)s day", "Update due in %(days)s days", self.days) % {
                "days": self.days
            }
        if self.state == ON_TIME:
            return _("On time")
        return _("No update expected")


def status(dataset: Dataset, *, today: dt.date, last_updated: dt.datetime | None = None) -> Freshness:
    """The dataset's freshness on `today` (a date in the government's calendar). The due
    day itself still counts as on time; the day after, the dataset is late by one day."""
    due = dataset.next_update_due
    updated = last_updated or getattr(dataset, "last_updated", None) or dataset.data_updated_at
    if due is None:
        return Freshness(NO_PROMISE, None, updated)
    if due < today:
        return Freshness(LATE, due, updated, (today - due).days)
    left = (due - today).days
    if left <= DUE_SOON_DAYS.get(dataset.frequency, 7):
        return Freshness(DUE_SOON, due, updated, left)
    return Freshness(ON_TIME, due, updated, left)


def _prefetched_resources(dataset: Dataset) -> list[Resource] | None:
    cache = getattr(dataset, "_prefetched_objects_cache", {})
    return list(cache["resources"]) if "resources" in cache else None


def last_updated_map(datasets: list[Dataset]) -> dict[int, dt.datetime]:
    """When each dataset's data last changed: the stored `data_updated_at`, else the latest
    successful load of one of its tables, else its newest resource, else its creation. At most
    two queries for the whole list (none when every dataset has `data_updated_at`)."""
    found: dict[int, dt.datetime] = {}
    missing = []
    for dataset in datasets:
        if dataset.data_updated_at:
            found[dataset.pk] = dataset.data_updated_at
        else:
            missing.append(dataset)
    if not missing:
        return found
    ids = [dataset.pk for dataset in missing]
    # The datasets' own governments: a province's catalog lists its cantons' datasets too.
    governments = {dataset.government_id for dataset in missing}
    loads = dict(
        ResourceLoad.objects.for_governments(governments).filter(resource__dataset_id__in=ids, status=ResourceLoad.Status.SUCCEEDED)
        .values("resource__dataset_id")
        .annotate(at=Max("finished_at"))
        .values_list("resource__dataset_id", "at")
    )
    resources: dict[int, list] = {}
    unprefetched = [dataset.pk for dataset in missing if _prefetched_resources(dataset) is None]
    if unprefetched:
        rows = (
            Resource.objects.for_governments(governments).filter(dataset_id__in=unprefetched)
            .values("dataset_id")
            .annotate(data=Max("data_updated_at"), created=Max("created_at"))
        )
        for row in rows:
            resources[row["dataset_id"]] = [row["data"], row["created"]]
    for dataset in missing:
        prefetched = _prefetched_resources(dataset)
        if prefetched is not None:
            data = max((r.data_updated_at for r in prefetched if r.data_updated_at), default=None)
            created = max((r.created_at for r in prefetched if r.created_at), default=None)
        else:
            data, created = resources.get(dataset.pk, [None, None])
        found[dataset.pk] = data or loads.get(dataset.pk) or created or dataset.created_at
    return found


def attach(datasets, *, government=None, today: dt.date | None = None) -> list[Dataset]:
    """Set `dataset.last_updated` and `dataset.freshness` on every dataset of a list (a page
    of results, a panel) for the templates."""
    datasets = list(datasets)
    today = today or government_today(government)
    updated = last_updated_map(datasets)
    for dataset in datasets:
        dataset.last_updated = updated.get(dataset.pk)
        dataset.freshness = status(dataset, today=today, last_updated=dataset.last_updated)
    return datasets


def of(dataset: Dataset) -> Freshness:
    """The dataset's freshness for a template; uses what `attach()` stored when it ran."""
    if getattr(dataset, "freshness", None) is None:
        government = dataset.government if Dataset.government.is_cached(dataset) else None
        attach([dataset], government=government)
    return dataset.freshness


# The back-office panel -------------------------------------------------------------------


@dataclass
class UnitFreshness:
    """One publishing unit's line in the panel: a unit of the organisation chart (grouped by
    its key, named as the chart names it now) or a publisher given as text."""

    publisher: str  # the name shown
    key: str = ""  # the panel's ?unidad= value (publishers.Publisher.key)
    url: str = ""  # the unit's public page, when the chart lists it
    promised: int = 0
    on_time: int = 0
    due_soon: int = 0
    late: int = 0
    most_late: int = 0
    datasets: list = field(default_factory=list)  # late and due soon (all, for one unit)


PANEL_FIELDS = (
    "id",
    "government_id",
    "slug",
    "title",
    "publisher",
    "publisher_email",
    "publisher_unit",
    "contact_email",
    "frequency",
    "next_update_due",
    "data_updated_at",
    "overdue_notified_at",
    "is_published",
    "created_at",
)
PANEL_SORTS = ("unidad", "atraso", "titulo", "vencimiento")


def panel(government, *, publisher: str = "", sort: str = "unidad", today: dt.date | None = None) -> dict:
    """The freshness panel of a government: per unit, how many promised datasets are on time,
    due soon or late; and the late (and due soon) datasets, grouped by unit or in one list
    sorted by lateness, title or due date; for one unit (`publisher`: a publishers.Publisher
    key), all its promised datasets. Published datasets only: a draft has made no promise to
    anyone yet. A few queries whatever the number of datasets."""
    today = today or government_today(government)
    datasets = Dataset.objects.filter(government=government, is_published=True).only(*PANEL_FIELDS)
    directory = publishers.Directory()
    units: dict[str, UnitFreshness] = {}
    for dataset in attach(datasets.order_by("publisher", "title"), government=government, today=today):
        who = directory.of(dataset, government)
        unit = units.get(who.key)
        if unit is None:
            unit = units[who.key] = UnitFreshness(who.name, key=who.key, url=who.url)
        state = dataset.freshness.state
        if state == NO_PROMISE:
            continue
        unit.promised += 1
        if state == LATE:
            unit.late += 1
            unit.most_late = max(unit.most_late, dataset.freshness.days)
        elif state == DUE_SOON:
            unit.due_soon += 1
        else:
            unit.on_time += 1
        if publisher and who.key != publisher:
            continue
        if state in (LATE, DUE_SOON) or publisher:
            unit.datasets.append(dataset)
    rows = [dataset for unit in units.values() for dataset in unit.datasets]
    sort = sort if sort in PANEL_SORTS else "unidad"
    if sort == "titulo":
        rows.sort(key=lambda d: (d.title.lower(), d.pk))
    elif sort == "vencimiento":
        rows.sort(key=lambda d: (d.next_update_due or dt.date.max, d.title.lower()))
    else:
        rows.sort(key=_lateness_key)
    for unit in units.values():
        unit.datasets.sort(key=_lateness_key)
    ranked = sorted(units.values(), key=lambda u: (-u.late, -u.most_late, u.publisher.lower()))
    return {
        "today": today,
        "units": ranked,
        "rows": rows,
        "sort": sort,
        "publisher": publisher if publisher in units else "",
        "publisher_name": units[publisher].publisher if publisher in units else "",
        "late_total": sum(unit.late for unit in ranked),
        "due_soon_total": sum(unit.due_soon for unit in ranked),
        "promised_total": sum(unit.promised for unit in ranked),
    }


def _lateness_key(dataset: Dataset):
    f = dataset.freshness
    # Late first (most late first), then due soon (closest first), then the rest.
    order = {LATE: 0, DUE_SOON: 1, ON_TIME: 2, NO_PROMISE: 3}[f.state]
    return (order, -f.days if f.state == LATE else f.days, dataset.title.lower())


# Overdue notices -------------------------------------------------------------------------


def needs_notice(
    dataset: Dataset, *, today: dt.date, government=None, directory: publishers.Directory | None = None
) -> bool:
    """Late, published, with someone to tell (publishers.Directory.notice_address), and not
    told yet during this late period. A notice sent on or before the current due date
    belongs to an earlier period (the data was updated since, which moved the due date), so
    updating the dataset resets it."""
    if not dataset.is_published or dataset.next_update_due is None or dataset.next_update_due >= today:
        return False
    directory = directory or publishers.Directory()
    if not directory.notice_address(dataset, government or dataset.government):
        return False
    if dataset.overdue_notified_at is None:
        return True
    sent_on = timezone.localtime(dataset.overdue_notified_at, government_zone(government)).date()
    return sent_on <= dataset.next_update_due


def overdue_to_notify(government, *, today: dt.date) -> list[Dataset]:
    candidates = Dataset.objects.filter(government=government, is_published=True, next_update_due__lt=today).only(
        *PANEL_FIELDS
    )
    directory = publishers.Directory()
    return [
        dataset
        for dataset in candidates
        if needs_notice(dataset, today=today, government=government, directory=directory)
    ]


# Months until the next expected update, per frequency (None: no update is promised).
_MONTHS = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.BIANNUAL: 6, Frequency.ANNUAL: 12}
_DAYS = {Frequency.CONTINUOUS: 1, Frequency.DAILY: 1, Frequency.WEEKLY: 7}


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def next_update_due(frequency: str, last_update: dt.date) -> dt.date | None:
    """When the next update is due for data last updated on `last_update`; None when the
    frequency promises no update (irregular, never, unknown)."""
    if frequency in _DAYS:
        return last_update + dt.timedelta(days=_DAYS[frequency])
    if frequency in _MONTHS:
        return _add_months(last_update, _MONTHS[frequency])
    return None


def is_overdue(dataset: Dataset, *, today: dt.date) -> bool:
    return dataset.next_update_due is not None and dataset.next_update_due < today
