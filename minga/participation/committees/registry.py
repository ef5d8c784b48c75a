"""What the committees lend through the manifest: backlinks from the objects they oversee
(a public work, a contracting process, a participatory process or budget project shows its
committees), and participatory processes as linked records ("participation.process"), so a
committee, or any other module, can point to one."""

from __future__ import annotations

from django.utils.translation import gettext as _

from minga.core.registry import LinkedRecord
from minga.core.tenancy.paths import government_path
from minga.core.tenancy.scoping import government_scope

from ..processes import selectors as process_selectors
from . import selectors
from .models import Committee

COMMITTEE = "participation.committee"
PROCESS = "participation.process"


def _committee_record(committee: Committee) -> LinkedRecord:
    return LinkedRecord(
        kind=COMMITTEE,
        key=committee.slug,
        title=_("Citizen oversight committee: %(name)s") % {"name": committee.name},
        url=government_path("participation:committee_detail", slug=committee.slug),
        module="participation",
        facts={
            "status": committee.get_status_display(),
            "starts_on": committee.starts_on,
            "ends_on": committee.ends_on,
        },
    )


def _backlinks(kind: str):
    def find(government, key: str) -> list[LinkedRecord]:
        with government_scope(government):
            return [_committee_record(found) for found in selectors.overseeing(government, kind, key)]

    return find


def _process_record(process) -> LinkedRecord:
    return LinkedRecord(
        kind=PROCESS,
        key=process.slug,
        title=process.title,
        url=government_path("participation:process_detail", slug=process.slug),
        module="participation",
        facts={"kind": process.get_kind_display(), "starts_at": process.starts_at, "ends_at": process.ends_at},
    )


def resolve_processes(government, keys: list[str]) -> dict[str, LinkedRecord]:
    with government_scope(government):
        found = process_selectors.public_processes(government).filter(slug__in=keys)
        return {process.slug: _process_record(process) for process in found}


def search_processes(government, text: str, limit: int) -> list[LinkedRecord]:
    with government_scope(government):
        found = process_selectors.public_processes(government).order_by("-starts_at")
        if text:
            found = found.filter(title__icontains=text)
        return [_process_record(process) for process in found[:limit]]


BACKLINKS = {
    kind: _backlinks(kind)
    for kind in ("works.project", "procurement.process", "participation.process", "participation.project")
}
LINK_RESOLVERS = {PROCESS: resolve_processes}
LINK_SEARCH = {PROCESS: search_processes}
