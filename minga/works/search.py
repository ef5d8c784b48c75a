"""What the works module makes findable: published projects."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from minga.core.search.registry import SearchEntry, SearchRegistration
from minga.core.tenancy.paths import government_path

from .models import Project


def _projects(government):
    return Project.objects.filter(government=government).published()


def _entry(project: Project) -> SearchEntry:
    return SearchEntry(
        title=project.title,
        url=government_path("works:project_detail", slug=project.slug),
        summary=" · ".join(
            part for part in (str(project.get_status_display()), project.territory_name, project.contractor) if part
        ),
        body="\n".join([project.description, project.code, project.area_of_interest, *project.pdot_objectives]),
        updated_at=project.updated_at,
    )


REGISTRATIONS = (
    SearchRegistration(kind="works.project", module="works", label=_("Public works"), queryset=_projects, entry=_entry),
)
