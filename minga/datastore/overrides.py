"""Types fixed by officials in the data dictionary, and codes kept as text.

A fixed type replaces the inferred one, so values that do not match it become row/column errors
in the load report instead of quietly turning the column into text. Before that, whole-number
columns that are codes (by name or by the shape of every value, see ``roles``) become text, so a
DPA code 1301 is never summed nor shown as "1.301"; a role fixed in the dictionary decides
instead of the guess ("code" makes a column text; any other role keeps its numbers).

The dictionary's keys are column identifiers; a key written before "ñ" became "ni" (``ano``)
still applies to the column now called ``anio``."""

from __future__ import annotations

from . import inference as inf
from .inference import ColumnProfile, ColumnType
from .names import legacy_identifier
from .roles import ColumnRole, looks_like_code


def _lookup(values: dict[str, str] | None, name: str, label: str) -> str:
    if not values:
        return ""
    return values.get(name) or values.get(legacy_identifier(label)) or ""


def apply_column_types(
    names: list[str],
    profiles: list[ColumnProfile],
    column_types: dict[str, str] | None,
    *,
    prefer_decimal_comma: bool,
    labels: list[str] | None = None,
    column_roles: dict[str, str] | None = None,
) -> list[ColumnProfile]:
    labels = labels if labels is not None else [""] * len(names)
    forced = []
    for name, label, profile in zip(names, labels, profiles, strict=True):
        role = _lookup(column_roles, name, label)
        wanted = _lookup(column_types, name, label)
        if profile.type == ColumnType.INTEGER and not wanted:
            code = role == ColumnRole.CODE or (not role and looks_like_code(name, label, shapes=profile.shapes))
            if code:
                profile = ColumnProfile(
                    type=ColumnType.TEXT,
                    kind=0,
                    non_null=profile.non_null,
                    nulls=profile.nulls,
                    shapes=profile.shapes,
                    as_code=True,
                )
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
