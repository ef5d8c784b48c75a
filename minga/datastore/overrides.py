"""Types fixed by officials in the data dictionary. A fixed type replaces the inferred one, so
values that do not match it become row/column errors in the load report instead of quietly
turning the column into text."""

from __future__ import annotations

from . import inference as inf
from .inference import ColumnProfile, ColumnType


def apply_column_types(
    names: list[str],
    profiles: list[ColumnProfile],
    column_types: dict[str, str] | None,
    *,
    prefer_decimal_comma: bool,
) -> list[ColumnProfile]:
    if not column_types:
        return profiles
    forced = []
    for name, profile in zip(names, profiles, strict=True):
        wanted = column_types.get(name)
        if not wanted or wanted == profile.type:
            forced.append(profile)
            continue
        kind = _kind_for(ColumnType(wanted), profile, prefer_decimal_comma=prefer_decimal_comma)
        forced.append(ColumnProfile(type=ColumnType(wanted), kind=kind, non_null=profile.non_null, nulls=profile.nulls))
    return forced


def _kind_for(column_type: ColumnType, profile: ColumnProfile, *, prefer_decimal_comma: bool) -> int:
    if column_type == ColumnType.TEXT:
        return 0
    if column_type == ColumnType.DECIMAL:
        if profile.kind in (inf.DEC_COMMA, inf.DEC_DOT):
            return profile.kind
        return inf.DEC_COMMA if prefer_decimal_comma else inf.DEC_DOT
    if column_type == ColumnType.DATE:
        return profile.kind if profile.kind in (inf.DATE, inf.DATE_YY) else inf.DATE
    return {
        ColumnType.INTEGER: inf.INT,
        ColumnType.BOOLEAN: inf.BOOL,
        ColumnType.DATETIME: inf.DATETIME,
    }[column_type]
