"""Reads of proposals. The public list of a process reads one page of rows with the counts
kept on them (no per-row query) through indexes on (process, hidden, sort key); the same query
object (`ProposalQuery`) serves the page, the map and the API."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, Q, Value
from django.db.models.functions import Mod
from django.utils.translation import gettext as _

from minga.core import registry

from . import rules
from .models import Proposal, Status, Support
from .registry import LINK_KIND

# Query parameters of the list (Spanish, as the addresses): status values and sorts.
STATUS_PARAMS = {
    "publicadas": Status.PUBLISHED,
    "en-evaluacion": Status.EVALUATING,
    "viables": Status.FEASIBLE,
    "no-viables": Status.NOT_FEASIBLE,
    "retiradas": Status.WITHDRAWN,
    "fusionadas": Status.MERGED,
}
SORTS = ("mas-apoyadas", "recientes", "aleatorio", "mas-comentadas")
DEFAULT_SORT = "mas-apoyadas"
RANDOM_MODULUS = 1_000_003  # a prime: (id × seed) mod it shuffles the ids the same way for one seed
LIST_FIELDS = (
    "pk",
    "government_id",
    "process_id",
    "title",
    "category",
    "territory_code",
    "territory_name",
    "status",
    "supports_count",
    "comments_count",
    "created_at",
    "is_hidden",
    "merged_into_id",
    "cost_estimate",
    "latitude",
    "longitude",
)


def sort_labels() -> list[tuple[str, str]]:
    return [
        ("mas-apoyadas", _("Most supported")),
        ("recientes", _("Newest")),
        ("aleatorio", _("Random")),
        ("mas-comentadas", _("Most commented")),
    ]


def status_labels() -> list[tuple[str, str]]:
    labels = dict(Status.choices)
    return [(param, str(labels[value])) for param, value in STATUS_PARAMS.items()]


@dataclass(frozen=True)
class ProposalQuery:
    """The list's filters and sort as the page and the API read them: ``categoria``,
    ``territorio`` (a code), ``estado`` (publicadas, en-evaluacion, viables, no-viables,
    retiradas, fusionadas), ``q`` (words of the title) and ``orden`` (mas-apoyadas, recientes,
    aleatorio, mas-comentadas). A value that is not one of the choices is left out and
    explained in ``errors``."""

    category: str = ""
    territory: str = ""
    status: str = ""
    text: str = ""
    sort: str = DEFAULT_SORT
    errors: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_params(cls, params, process=None) -> ProposalQuery:
        errors = {}
        category = str(params.get("categoria", "") or "").strip()[:80]
        if category and process is not None and category not in rules.categories(process):
            errors["categoria"] = _("Unknown category.")
            category = ""
        territory = str(params.get("territorio", "") or "").strip()[:30]
        raw_status = str(params.get("estado", "") or "")
        status = STATUS_PARAMS.get(raw_status, "")
        if raw_status and not status:
            errors["estado"] = _("Unknown status.")
        text = " ".join(str(params.get("q", "") or "").split())[:100]
        sort = str(params.get("orden", "") or DEFAULT_SORT)
        if sort not in SORTS:
            errors["orden"] = _("Unknown order.")
            sort = DEFAULT_SORT
        return cls(category, territory, status, text, sort, errors)

    def as_query(self, *, with_sort: bool = True) -> dict[str, str]:
        status = {value: key for key, value in STATUS_PARAMS.items()}.get(self.status, "")
        query = {"categoria": self.category, "territorio": self.territory, "estado": status, "q": self.text}
        if with_sort and self.sort != DEFAULT_SORT:
            query["orden"] = self.sort
        return {key: value for key, value in query.items() if value}

    def filter(self, proposals):
        if self.category:
            proposals = proposals.filter(category=self.category)
        if self.territory:
            proposals = proposals.filter(territory_code=self.territory)
        if self.status:
            proposals = proposals.filter(status=self.status)
        if self.text:
            for word in self.text.split()[:6]:
                proposals = proposals.filter(title__icontains=word)
        return proposals

    def order(self, proposals, seed: int = 1):
        if self.sort == "recientes":
            return proposals.order_by("-created_at", "-pk")
        if self.sort == "mas-comentadas":
            return proposals.order_by("-comments_count", "-created_at", "-pk")
        if self.sort == "aleatorio":
            seed = max(1, int(seed) % RANDOM_MODULUS)
            return proposals.annotate(shuffle=Mod(F("pk") * Value(seed), Value(RANDOM_MODULUS))).order_by(
                "shuffle", "pk"
            )
        return proposals.order_by("-supports_count", "-created_at", "-pk")


def public_proposals(government, process):
    """The proposals of a published process anyone may see (not hidden by moderation)."""
    return Proposal.objects.for_government(government).filter(process=process, is_hidden=False)


def listing(government, process, query: ProposalQuery, *, seed: int = 1):
    return query.order(query.filter(public_proposals(government, process)), seed).only(*LIST_FIELDS)


def public_proposal(government, process, pk: int) -> Proposal | None:
    """A proposal of the process by id, hidden ones included (their page shows the reason)."""
    return (
        Proposal.objects.for_government(government)
        .filter(process=process, pk=pk)
        .select_related("merged_into", "process")
        .first()
    )


def located(government, process, query: ProposalQuery):
    return (
        query.filter(public_proposals(government, process))
        .filter(latitude__isnull=False, longitude__isnull=False)
        .only("pk", "title", "status", "supports_count", "category", "territory_name", "latitude", "longitude")
    )


def feature(proposal: Proposal, path: str) -> dict:
    return {
        "type": "Feature",
        "id": proposal.pk,
        "geometry": {"type": "Point", "coordinates": [float(proposal.longitude), float(proposal.latitude)]},
        "properties": {
            "titulo": proposal.title,
            "estado": proposal.status,
            "estado_nombre": str(proposal.get_status_display()),
            "categoria": proposal.category,
            "territorio": proposal.territory_name,
            "apoyos": proposal.supports_count,
            "url": path,
        },
    }


def counts(government, process) -> dict:
    found = public_proposals(government, process)
    return {
        "total": found.count(),
        "evaluating": found.filter(status=Status.EVALUATING).count(),
        "feasible": found.filter(status=Status.FEASIBLE).count(),
    }


def supported_ids(government, process, user) -> set[int]:
    """The proposals of the process this person supports."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return set(
        Support.objects.for_government(government)
        .filter(process=process, user=user)
        .values_list("proposal_id", flat=True)
    )


def supports_given(government, process, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Support.objects.for_government(government).filter(process=process, user=user).count()


def backlinks(government, proposal: Proposal) -> list:
    """What points to this proposal from the rest of the platform (a participatory-budget
    project, a result, a public work), through core's registry."""
    return registry.find_backlinks(government, LINK_KIND, str(proposal.pk))


def merged_from(government, proposal: Proposal) -> list[Proposal]:
    return list(
        Proposal.objects.for_government(government).filter(merged_into=proposal).only("pk", "title", "process_id")
    )


# Back office ---------------------------------------------------------------------------------


def office_proposals(government, *, process_id=None, status: str = "", text: str = "", hidden: str = ""):
    found = Proposal.objects.for_government(government).select_related("process")
    if process_id:
        found = found.filter(process_id=process_id)
    if status in Status.values:
        found = found.filter(status=status)
    if hidden == "si":
        found = found.filter(is_hidden=True)
    elif hidden == "no":
        found = found.filter(is_hidden=False)
    if text:
        found = found.filter(Q(title__icontains=text) | Q(pk=int(text)) if text.isdigit() else Q(title__icontains=text))
    return found.order_by("-supports_count", "-created_at", "-pk")


def office_proposal(government, pk: int) -> Proposal | None:
    return Proposal.objects.for_government(government).select_related("process", "merged_into").filter(pk=pk).first()


def merge_candidates(government, proposal: Proposal):
    return (
        Proposal.objects.for_government(government)
        .filter(process_id=proposal.process_id, is_hidden=False)
        .exclude(pk=proposal.pk)
        .exclude(status__in=[Status.MERGED, Status.WITHDRAWN])
        .order_by("-supports_count", "title")
        .only("pk", "title", "supports_count")
    )
