"""What the participation module makes findable: published processes (drafts never)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path
from minga.core.ui.markdown import plain_text

from .processes.models import Process
from .processes.services import SEARCH_KIND


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


REGISTRATIONS = (
    SearchRegistration(
        kind=SEARCH_KIND,
        module="participation",
        label=_("Participatory processes"),
        queryset=_processes,
        entry=_process_entry,
    ),
)
