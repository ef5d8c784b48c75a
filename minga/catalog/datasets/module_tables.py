"""Datasets that other modules keep current: the catalog side of `minga.core.opendata`.

A module (budget, works, procurement…) describes its public tables in its manifest and says
when they changed; here each table becomes a published dataset whose main resource is the
table as CSV, with its data dictionary, plus the module's companion files. The files go
through the same services as an official's upload, so they are loaded into the datastore as a
new version (the previous one stays live until the load succeeds), enter the version history
and reach the dataset's followers. Unchanged files cost one checksum."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import logging
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from minga.core import opendata, registry

from .. import jobs
from ..tables import services as table_services
from . import services
from .models import ColumnTypeChoice, Dataset, Frequency, Resource, Theme

log = logging.getLogger(__name__)

TABLE_FILE = "table"
COLUMN_TYPES = {
    "text": ColumnTypeChoice.TEXT,
    "integer": ColumnTypeChoice.INTEGER,
    "number": ColumnTypeChoice.DECIMAL,
    "date": ColumnTypeChoice.DATE,
    "datetime": ColumnTypeChoice.DATETIME,
    "boolean": ColumnTypeChoice.BOOLEAN,
}


def publish_later(government_id: int, module: str) -> None:
    """The publisher registered with core: runs after the module's transaction commits."""
    jobs.enqueue(jobs.PUBLISH_MODULE_TABLES, government_id, module)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.datetime):
        # The datastore keeps wall-clock times: aware values in the portal's time zone.
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def table_csv(table: opendata.OpenDataTable) -> bytes:
    """The table as UTF-8 CSV with a header of column names (machine-readable: dot decimals,
    ISO dates), which the datastore loads with the types of the data dictionary."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([column.name for column in table.columns])
    for row in table.rows():
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8")


def _theme(government, code: str) -> list[Theme]:
    if not code:
        return []
    found = Theme.objects.for_government(government).filter(dcat_theme=code).order_by("order", "pk").first()
    return [found] if found else []


def _dataset_fields(table: opendata.OpenDataTable) -> dict:
    frequency = table.frequency if table.frequency in Frequency.values else Frequency.UNKNOWN
    return {
        "description": table.description,
        "frequency": frequency,
        "temporal_start": table.temporal_start,
        "temporal_end": table.temporal_end,
    }


def _ensure_dataset(*, government, table: opendata.OpenDataTable, now) -> Dataset:
    dataset = Dataset.objects.for_government(government).filter(source_key=table.key).first()
    fields = _dataset_fields(table)
    if dataset is None:
        manifest = registry.manifest(table.module)
        if services.default_licence(government) is None:
            services.licences_ensure_defaults(actor=None, government=government)
        dataset = services.dataset_create(
            actor=None,
            government=government,
            title=table.title[:250],
            summary=table.summary[:400],
            publisher=str(manifest.label) if manifest else table.module,
            themes=_theme(government, table.theme),
            tags=list(table.keywords),
            is_published=True,
            slug=slugify(table.key.replace(".", "-"))[:100],
            now=now,
            **fields,
        )
        Dataset.objects.for_government(government).filter(pk=dataset.pk).update(source_module=table.module, source_key=table.key)
        dataset.source_module, dataset.source_key = table.module, table.key
        return dataset
    # Officials may improve the title, summary, themes or tags; what the module derives from
    # its data (coverage, frequency, methodology) follows the data.
    changed = {name: value for name, value in fields.items() if getattr(dataset, name) != value}
    if not dataset.is_published:
        changed["is_published"] = True
    if changed:
        dataset = services.dataset_update(actor=None, government=government, dataset=dataset, now=now, **changed)
    return dataset


def _publish_file(*, government, dataset: Dataset, key: str, title: str, filename: str, content: bytes, now) -> bool:
    """Add or replace one resource of the dataset; False when its content did not change."""
    checksum = hashlib.sha256(content).hexdigest()
    resource = Resource.objects.for_government(government).filter(dataset=dataset, source_key=key).first()
    if resource is not None and resource.sha256 == checksum:
        return False
    upload = ContentFile(content, name=filename)
    if resource is None:
        resource = services.resource_add(
            actor=None, government=government, dataset=dataset, title=title[:250], file=upload, now=now
        )
        Resource.objects.for_government(government).filter(pk=resource.pk).update(source_key=key)
    else:
        resource = services.resource_update(actor=None, government=government, resource=resource, file=upload, now=now)
    if key != TABLE_FILE:
        table_services.resource_data_changed(actor=None, government=government, resource=resource, now=now)
    return True


def _publish_dictionary(*, government, dataset: Dataset, table: opendata.OpenDataTable, now) -> None:
    """Write the module's data dictionary, then load the new file once: a change of fixed
    types already asks for a load (the types apply when the file is read)."""
    resource = Resource.objects.for_government(government).get(dataset=dataset, source_key=TABLE_FILE)
    entries = {
        column.name: {
            "label": column.label[:150],
            "description": column.description,
            "unit": column.unit[:60],
            "column_type": COLUMN_TYPES.get(column.type, ""),
        }
        for column in table.columns
    }
    wanted_types = {name: entry["column_type"] for name, entry in entries.items() if entry["column_type"]}
    types_change = table_services.dictionary_column_types(resource) != wanted_types
    services.column_dictionary_update(actor=None, government=government, resource=resource, entries=entries, now=now)
    if not types_change:
        table_services.resource_data_changed(actor=None, government=government, resource=resource, now=now)


def publish_table(*, government, table: opendata.OpenDataTable, now: dt.datetime | None = None) -> bool:
    """Bring the dataset of one table up to date; True when a file changed."""
    now = now or timezone.now()
    with transaction.atomic():
        dataset = _ensure_dataset(government=government, table=table, now=now)
        changed = _publish_file(
            government=government,
            dataset=dataset,
            key=TABLE_FILE,
            title=table.title,
            filename=f"{dataset.slug}.csv",
            content=table_csv(table),
            now=now,
        )
        if changed:
            _publish_dictionary(government=government, dataset=dataset, table=table, now=now)
        for companion in table.files:
            changed |= _publish_file(
                government=government,
                dataset=dataset,
                key=f"file:{companion.filename}",
                title=companion.title,
                filename=companion.filename,
                content=companion.content(),
                now=now,
            )
    return changed


def publish_module_tables(*, government, module: str, now: dt.datetime | None = None) -> list[Dataset]:
    """Publish every table the module offers now, and withdraw the datasets of tables it no
    longer offers (they stay in the catalog's history, unpublished)."""
    now = now or timezone.now()
    tables = opendata.tables_for(government, module)
    for table in tables:
        publish_table(government=government, table=table, now=now)
    offered = {table.key for table in tables}
    for dataset in Dataset.objects.for_government(government).filter(source_module=module, is_published=True):
        if dataset.source_key not in offered:
            services.dataset_set_published(actor=None, government=government, dataset=dataset, is_published=False)
    return list(Dataset.objects.for_government(government).filter(source_key__in=offered))
