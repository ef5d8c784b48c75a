"""Which datasets a CKAN Action API address answers for, and what it calls them.

A government's portal (``/g/<slug>/api/3/action/`` or its own host) is one CKAN site with one
organization: the government; dataset names are the catalog's slugs.

The platform (``/api/3/action/`` on the platform host) is one CKAN site for every active
government whose catalog is switched on, each government an organization. Two governments may
each have a dataset called ``presupuesto``; CKAN names are unique per site, so here a dataset's
name is ``<government slug>--<dataset slug>`` (``manabi--presupuesto``, ``azuay--presupuesto``)
and its ``owner_org``/``organization`` is its government. Ids (primary keys) are unique across
the platform already and stay as they are, so a harvester that keys on ``id`` (ckanext-harvest
does) sees the same dataset under the same id on both addresses; themes (groups) get the same
prefix, since each government has its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse
from django_scopes import scope

from minga.core.tenancy.models import Government
from minga.core.tenancy.paths import government_link, government_path

from ..datasets import selectors
from ..models import Dataset, Resource

SEPARATOR = "--"


@dataclass(frozen=True)
class Site:
    governments: tuple[Government, ...]
    platform: bool

    @property
    def government(self) -> Government | None:
        """The one government of a government's portal (None on the platform)."""
        return None if self.platform else self.governments[0]

    def scope(self):
        """On the platform no government's scope is active: read these governments' rows."""
        return scope(government=list(self.governments))

    # Names ---------------------------------------------------------------------------------

    def name(self, government: Government, slug: str) -> str:
        return f"{government.slug}{SEPARATOR}{slug}" if self.platform else slug

    def split(self, name: str) -> list[tuple[Government, str]]:
        """The (government, slug) pairs a name may stand for (one on a government's portal;
        on the platform, each government whose slug prefixes it)."""
        if not self.platform:
            return [(self.governments[0], name)]
        return [
            (government, name[len(government.slug) + len(SEPARATOR) :])
            for government in self.governments
            if name.startswith(government.slug + SEPARATOR)
        ]

    def government_named(self, key: str) -> Government | None:
        return next((g for g in self.governments if key in (g.slug, str(g.pk))), None)

    # Rows ----------------------------------------------------------------------------------

    def datasets(self):
        """Published datasets of the site's governments (nothing prefetched)."""
        if self.platform:
            return selectors.widened_public_datasets(list(self.governments))
        return selectors.public_datasets(self.governments[0])

    def detailed(self, datasets):
        """What the package dictionaries read, fetched with the datasets."""
        resources = Resource.objects.filter(government__in=list(self.governments)).order_by("order", "pk")
        return datasets.select_related("licence", "government").prefetch_related(
            "themes", "tags", Prefetch("resources", queryset=resources)
        )

    def resources(self):
        return Resource.objects.filter(
            government__in=list(self.governments), dataset__is_published=True
        ).select_related("dataset", "dataset__government")

    def find_dataset(self, key: str) -> Dataset | None:
        datasets = self.detailed(self.datasets())
        for government, slug in self.split(key):
            found = datasets.filter(government=government, slug=slug).first()
            if found is not None:
                return found
        return datasets.filter(pk=int(key)).first() if key.isdigit() else None

    # Addresses -----------------------------------------------------------------------------

    def url(self, request, government: Government, name: str, **kwargs) -> str:
        """Absolute address of a government page: on the platform, under that government's
        own host or /g/<slug>/ prefix."""
        if self.platform:
            return request.build_absolute_uri(government_link(government, government_path(name, **kwargs)))
        return request.build_absolute_uri(reverse(name, kwargs=kwargs or None))


def site_of(request) -> Site:
    government = getattr(request, "government", None)
    if government is not None:
        return Site(governments=(government,), platform=False)
    governments = tuple(
        government
        for government in Government.objects.active().order_by("slug")
        if government.module_enabled("catalog")
    )
    return Site(governments=governments, platform=True)
