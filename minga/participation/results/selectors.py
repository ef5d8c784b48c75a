"""Reads of results: a process's tree with the progress each node shows, the overall
progress, counts by status, a result's links both ways and the physical progress of the
works it is linked to."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from minga.core import registry

from . import catalog
from .models import Result, ResultLink, TimelineEntry

HUNDRED = Decimal("100")


def rolled_up(children: list[tuple[Decimal, Decimal]]) -> Decimal:
    """The progress of a parent from its children's (weight, progress): the weighted average,
    or the plain average when every weight is 0; 0 without children. Two decimals."""
    if not children:
        return Decimal("0")
    total = sum((weight for weight, _ in children), Decimal("0"))
    if total > 0:
        value = sum((weight * progress for weight, progress in children), Decimal("0")) / total
    else:
        value = sum((progress for _, progress in children), Decimal("0")) / len(children)
    return min(HUNDRED, max(Decimal("0"), value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Node:
    result: Result
    depth: int
    status_name: str
    children: list[Node] = field(default_factory=list)

    @property
    def rolled_up(self) -> bool:
        """Its progress is the average of its sub-results (not typed by hand)."""
        return bool(self.children) and not self.result.progress_by_hand


def public_results(government, process):
    return Result.objects.for_government(government).filter(process=process).public()


def office_results(government, process):
    return Result.objects.for_government(government).filter(process=process)


def public_result(government, process, pk: int) -> Result | None:
    return public_results(government, process).filter(pk=pk).select_related("process", "parent").first()


def build_tree(government, results) -> list[Node]:
    """The results as a tree ordered by position; a result whose parent is not among them (an
    unpublished parent on a public page) is left out with its branch."""
    names = catalog.status_names(government)
    rows = list(results.order_by("position", "pk"))
    by_parent: dict[int | None, list[Result]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def grow(parent_id, depth) -> list[Node]:
        nodes = []
        for row in by_parent.get(parent_id, []):
            node = Node(row, depth, names.get(row.status, row.status))
            node.children = grow(row.pk, depth + 1)
            nodes.append(node)
        return nodes

    return grow(None, 1)


def flatten(nodes: list[Node]) -> list[Node]:
    found = []
    for node in nodes:
        found.append(node)
        found.extend(flatten(node.children))
    return found


def overall_progress(nodes: list[Node]) -> Decimal:
    """The process's progress: the weighted average of its first-level results."""
    return rolled_up([(node.result.weight, node.result.progress) for node in nodes])


def status_counts(government, nodes: list[Node]) -> list[tuple[str, str, int]]:
    """(key, name, how many) of every result of the tree, in the government's order of
    statuses; statuses no longer in the list come last."""
    counts = Counter(node.result.status for node in flatten(nodes))
    found = [(status.key, status.name, counts.pop(status.key, 0)) for status in catalog.statuses(government)]
    found.extend((key, key or "—", count) for key, count in sorted(counts.items()))
    return found


def filter_nodes(nodes: list[Node], *, status: str = "", unit: str = "") -> list[Node]:
    """The results of a tree matching the filters, as a flat list (with their depth), or the
    whole tree when no filter is set."""
    if not status and not unit:
        return nodes
    return [
        node
        for node in flatten(nodes)
        if (not status or node.result.status == status)
        and (not unit or unit in (node.result.unit_key, node.result.unit_name))
    ]


def units_in(nodes: list[Node]) -> list[tuple[str, str]]:
    """(value, name) of the responsible units of a tree, for its filter."""
    seen: dict[str, str] = {}
    for node in flatten(nodes):
        result = node.result
        if result.unit_name:
            seen.setdefault(result.unit_key or result.unit_name, result.unit_name)
    return sorted(seen.items(), key=lambda item: item[1].lower())


def timeline_of(government, result) -> list[TimelineEntry]:
    return list(TimelineEntry.objects.for_government(government).filter(result=result))


def link_keys(government, result) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    for kind, key in ResultLink.objects.for_government(government).filter(result=result).values_list("kind", "key"):
        keys.setdefault(kind, []).append(key)
    return keys


@dataclass
class LinkGroup:
    kind: str
    label: object
    records: list  # LinkedRecord
    missing: list[str] = field(default_factory=list)  # keys nothing resolves (office only)


def linked(government, result, *, with_missing: bool = False) -> list[LinkGroup]:
    """The records a result points to, by kind, resolved through the registry: keys of
    kinds nobody registers, or records no longer public, are left out (listed as missing
    for the office)."""
    keys = link_keys(government, result)
    groups = []
    for item in catalog.LINK_KINDS:
        wanted = keys.get(item.kind, [])
        if not wanted:
            continue
        found = registry.resolve_links(government, item.kind, wanted)
        records = [found[key] for key in wanted if key in found]
        missing = [key for key in wanted if key not in found] if with_missing else []
        if records or missing:
            groups.append(LinkGroup(item.kind, item.label, records, missing))
    return groups


def pointing_here(government, result) -> list:
    """Records of other modules (or sub-apps) that point to this result."""
    return registry.find_backlinks(government, catalog.KIND, str(result.pk))


def work_progress(groups: list[LinkGroup]) -> list[tuple[object, Decimal]]:
    """(work, physical progress) of the linked works that report one."""
    found = []
    for group in groups:
        if group.kind != catalog.WORKS_KIND:
            continue
        for record in group.records:
            value = record.facts.get("physical_progress")
            if value is not None:
                found.append((record, Decimal(str(value)).quantize(Decimal("0.01"))))
    return found


def results_linked_to(government, kind: str, key: str):
    """Public results that point to the record ``kind``/``key`` (backlinks)."""
    ids = ResultLink.objects.for_government(government).filter(kind=kind, key=key).values("result_id")
    return Result.objects.for_government(government).public().filter(pk__in=ids).select_related("process")
