"""Column labels become SQL identifiers here, once, at load time.

Queries only ever use identifiers that this module produced, so every identifier is safe to quote
into SQL; the original labels are kept alongside for people.
"""

from __future__ import annotations

import re
import unicodedata

MAX_IDENTIFIER = 55  # PostgreSQL allows 63 bytes; leaves room for the "_n_" shadow prefix
IDENTIFIER_RE = re.compile(r"^[a-z][a-z0-9_]{0,54}$")
TABLE_ID_RE = re.compile(r"^[a-z0-9_]{1,48}$")

_KEYWORDS = """
    abort action add all alter analyze and any array as asc attach authorization autoincrement before
    begin between binary both by cascade case cast check collate column commit conflict constraint
    create cross current current_date current_time current_timestamp current_user database default
    deferrable deferred delete desc detach distinct do drop each else end escape except exclude
    exclusive exists explain fail false fetch filter following for foreign from full glob grant group
    groups having if ignore ilike immediate in index indexed initially inner insert instead intersect
    into is isnull join key lateral leading left like limit match natural no not nothing notnull null
    nulls of offset on only or order others outer over partition plan pragma preceding primary query
    raise range recursive references regexp reindex release rename replace restrict returning right
    rollback row rows savepoint select session_user set similar some symmetric table temp temporary then
    ties to trailing transaction trigger true unbounded union unique update user using vacuum values
    variadic verbose view virtual when where window with without oid rowid
"""
SQL_KEYWORDS = frozenset(_KEYWORDS.split())


# Combining diacritical marks (Latin accents, tilde, diaeresis) and their extensions.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lower-case without diacritics: what accent- and case-insensitive comparisons use."""
    if text.isascii():
        return text.lower()
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text)).lower()


def to_identifier(label: str) -> str:
    """One label to a lower-case ASCII identifier (may still collide; see ``make_identifiers``).

    "ñ" becomes "ni", as Ecuadorian open data writes it: "Año" is ``anio`` (a year), never
    ``ano``, and "Señal" is ``senial``."""
    return legacy_identifier(label.replace("ñ", "ni").replace("Ñ", "Ni"))


def legacy_identifier(label: str) -> str:
    """The identifier tables loaded before "ñ" became "ni" got ("Año" → ``ano``)."""
    ascii_text = fold(label.strip()).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^a-z0-9]+", "_", ascii_text).strip("_")
    if not name:
        return ""
    if not name[0].isalpha():
        name = "c_" + name
    name = name[:MAX_IDENTIFIER].rstrip("_")
    if name in SQL_KEYWORDS:
        name += "_"
    return name


def make_identifiers(labels: list[str]) -> list[str]:
    """Unique identifiers for a header row; blank labels become ``col_<n>`` (1-based)."""
    seen: set[str] = set()
    result = []
    for position, label in enumerate(labels, start=1):
        base = to_identifier(label) or f"col_{position}"
        name = base
        suffix = 2
        while name in seen:
            tail = f"_{suffix}"
            name = base[: MAX_IDENTIFIER - len(tail)] + tail
            suffix += 1
        seen.add(name)
        result.append(name)
    return result


def table_name(*, table_id: str, version: int) -> str:
    return f"t_{table_id}_v{int(version)}"


def check_table_id(table_id: str | int) -> str:
    from django.utils.translation import gettext_lazy as _

    from .errors import DatastoreError

    value = str(table_id).lower()
    if not TABLE_ID_RE.match(value):
        raise DatastoreError(_("Invalid table identifier."), code="invalid_table_id")
    return value
