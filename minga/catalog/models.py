"""Catalog models live in one sub-package per concept; Django (and the migrations, which name
the upload paths and the DPA-code validator here) find them through this module."""

from .datasets.models import (
    DCAT_THEME_URI,
    DPA_CODE_LENGTHS,
    FREQUENCY_URI,
    OPEN_FORMATS,
    ColumnDictionary,
    ColumnTypeChoice,
    Dataset,
    DatasetVersion,
    DcatTheme,
    Frequency,
    Licence,
    Resource,
    ResourceFormat,
    Tag,
    Theme,
    _validate_dpa_codes,
    resource_upload_to,
)
from .requests.models import DataRequest, DataRequestSupport
from .tables.models import TABULAR_FORMATS, ResourceLoad, snapshot_upload_to
from .usage.models import UsageDaily

__all__ = [
    "DCAT_THEME_URI",
    "DPA_CODE_LENGTHS",
    "FREQUENCY_URI",
    "OPEN_FORMATS",
    "TABULAR_FORMATS",
    "ColumnDictionary",
    "ColumnTypeChoice",
    "DataRequest",
    "DataRequestSupport",
    "Dataset",
    "DatasetVersion",
    "DcatTheme",
    "Frequency",
    "Licence",
    "Resource",
    "ResourceFormat",
    "ResourceLoad",
    "Tag",
    "Theme",
    "UsageDaily",
    "_validate_dpa_codes",
    "resource_upload_to",
    "snapshot_upload_to",
]
