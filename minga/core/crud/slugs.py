"""Public identifiers made from a name, unique among the rows they compete with."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet
from django.utils.text import slugify


def unique_slug(
    queryset: QuerySet,
    base: str,
    max_length: int,
    *,
    fallback: str = "elemento",
    reserved: Collection[str] = (),
    field: str = "slug",
) -> str:
    """``base`` as a slug of at most ``max_length`` characters that no row of ``queryset``
    holds in ``field`` and that is not ``reserved`` (a word the module's addresses use):
    ``obras``, then ``obras-2``, ``obras-3``… The suffix shortens the root rather than
    lengthening the slug. ``queryset`` is the rows it must differ from, usually
    ``Model.objects.for_government(government)`` without the row being renamed; ``fallback``
    stands in for a name with nothing to keep (only punctuation, say)."""
    root = (slugify(base) or fallback)[:max_length].strip("-") or fallback
    candidate, number = root, 2
    while candidate in reserved or queryset.filter(**{field: candidate}).exists():
        suffix = f"-{number}"
        candidate, number = f"{root[: max_length - len(suffix)].rstrip('-')}{suffix}", number + 1
    return candidate
