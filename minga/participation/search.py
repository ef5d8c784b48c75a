"""What the participation module makes findable: published processes (drafts never), and of
published processes the proposals the public reads (not hidden), the participatory-budget
projects and the published results. The sub-packages' services bring one record up to date
(`index`, `forget`); a process that is published, withdrawn, renamed or deleted brings its
records along (`process_changed`, `process_deleted`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search import services as search
from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path
from minga.core.tenancy.scoping import government_scope
from minga.core.ui.markdown import plain_text

from .budgets.models import Project
from .processes.models import Process
from .processes.services import SEARCH_KIND
from .proposals.models import Proposal
from .results.models import Result

PROPOSAL_KIND = "participation.proposal"
PROJECT_KIND = "participation.project"
RESULT_KIND = "participation.result"


def _processes(government):
    return Process.objects.filter(government=government).published()


def _process_entry(process: Process) -> SearchEntry:
    phases = [phase.title for phase in process.phases.all()]
    return SearchEntry(
        title=process.title,
        url=government_path("participation:process_detail", slug=process.slug),
        summary=process.summary or plain_text(process.description, 300),
        body="\n".join([plain_text(process.description, 20_000), *process.territory_names, *phases]),
        updated_at=process.updated_at,
    )


def _proposals(government):
    return Proposal.objects.for_government(government).filter(is_hidden=False, process__is_published=True)


def _proposal_entry(proposal: Proposal) -> SearchEntry:
    process = proposal.process
    return SearchEntry(
        title=proposal.title,
        url=government_path("participation:proposal_detail", slug=process.slug, pk=proposal.pk),
        summary=" · ".join(
            part for part in (str(proposal.get_status_display()), process.title, proposal.territory_name) if part
        ),
        body="\n".join([plain_text(proposal.body, 20_000), proposal.category, proposal.territory_name]),
        updated_at=proposal.updated_at,
    )


def _projects(government):
    return Project.objects.for_government(government).filter(budget__process__is_published=True)


def _project_entry(project: Project) -> SearchEntry:
    budget = project.budget
    process = budget.process
    return SearchEntry(
        title=project.title,
        url=government_path("participation:budget_project", slug=process.slug, project=project.slug),
        summary=" · ".join(part for part in (budget.title, process.title) if part),
        body="\n".join([plain_text(project.description, 20_000), budget.territory_name]),
        updated_at=project.updated_at,
    )


def _results(government):
    return Result.objects.for_government(government).public()


def _result_entry(result: Result) -> SearchEntry:
    process = result.process
    return SearchEntry(
        title=result.title,
        url=government_path("participation:result_detail", slug=process.slug, pk=result.pk),
        summary=" · ".join(part for part in (process.title, result.unit_name) if part),
        body="\n".join([plain_text(result.description, 20_000), result.reference, result.unit_name]),
        updated_at=result.updated_at,
    )


REGISTRATIONS = (
    SearchRegistration(
        kind=SEARCH_KIND,
        module="participation",
        label=_("Participatory processes"),
        queryset=_processes,
        entry=_process_entry,
    ),
)
REGISTRATIONS += (
    SearchRegistration(
        kind=PROPOSAL_KIND, module="participation", label=_("Proposals"), queryset=_proposals, entry=_proposal_entry
    ),
    SearchRegistration(
        kind=PROJECT_KIND,
        module="participation",
        label=_("Participatory-budget projects"),
        queryset=_projects,
        entry=_project_entry,
    ),
    SearchRegistration(
        kind=RESULT_KIND,
        module="participation",
        label=_("Results of participatory processes"),
        queryset=_results,
        entry=_result_entry,
    ),
)

_ENTRIES = {PROPOSAL_KIND: _proposal_entry, PROJECT_KIND: _project_entry, RESULT_KIND: _result_entry}


def index(kind: str, obj) -> None:
    """Index one proposal, project or result while the public sees it, else forget it."""
    search.index_object(kind=kind, obj=obj)


def forget(kind: str, object_ids, government) -> None:
    for pk in object_ids:
        search.remove_object(kind=kind, object_id=pk, government=government)


def _parts(government, process: Process):
    """(kind, every row of the process, the public rows of the process) for each kind."""
    yield (
        PROPOSAL_KIND,
        Proposal.objects.for_government(government).filter(process=process),
        _proposals(government).filter(process=process).select_related("process"),
    )
    yield (
        PROJECT_KIND,
        Project.objects.for_government(government).filter(budget__process=process),
        _projects(government).filter(budget__process=process).select_related("budget__process"),
    )
    yield (
        RESULT_KIND,
        Result.objects.for_government(government).filter(process=process),
        _results(government).filter(process=process).select_related("process"),
    )


def process_changed(government, process: Process) -> None:
    """The process was published, withdrawn or renamed: its records follow it in the index."""
    with government_scope(government):
        for kind, rows, public_rows in _parts(government, process):
            shown = set()
            for obj in public_rows if process.is_published else ():
                search.index_entry(
                    government=government,
                    kind=kind,
                    module="participation",
                    object_id=obj.pk,
                    entry=_ENTRIES[kind](obj),
                )
                shown.add(obj.pk)
            forget(kind, [pk for pk in rows.values_list("pk", flat=True) if pk not in shown], government)


def process_deleted(government, process: Process) -> list:
    """Before a process is deleted: what to forget after (call the returned functions)."""
    found = [(kind, list(rows.values_list("pk", flat=True))) for kind, rows, _public in _parts(government, process)]
    return [lambda kind=kind, ids=ids: forget(kind, ids, government) for kind, ids in found if ids]
