"""Public pages: the map and list of works with filters, the GeoJSON behind the interactive
map, the project page (timeline, photos, linked money, citizen comments in core's thread),
the strategic planning view, and the citizens' follow action (comments are posted to core's
comment views: works/comments.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from minga.core import registry
from minga.core.registry import module_settings
from minga.core.ui.page_cache import public_page

from .. import drawings, indicators, selectors
from ..links import feature
from ..models import ProjectLink, Sector, Status


def _map_settings(government) -> dict:
    values = module_settings(government, "works")
    url = str(values.get("tile_url") or "").strip()
    origin = drawings.tile_origin(url)
    return {"tile_url": url if origin else "", "tile_origin": origin, "attribution": values.get("tile_attribution", "")}


def _allow_tiles(response, tiles: dict):
    if tiles["tile_origin"]:
        response._csp_update = {"img-src": [tiles["tile_origin"]]}
    return response


@public_page
def project_list(request):
    government = request.government
    filters = selectors.ProjectFilters.from_params(request.GET)
    projects = selectors.filtered_projects(government, filters, today=timezone.localdate())
    query = urlencode(filters.as_query())
    tiles = _map_settings(government)
    context = {
        "projects": projects,
        "filters": filters,
        "query": query,
        "totals": selectors.totals(projects),
        "drawing": drawings.svg_map(projects),
        "legend": drawings.legend(projects),
        "sectors": Sector.choices,
        "statuses": Status.choices,
        "territories": selectors.territories(government),
        "flag_choices": selectors.FLAG_CHOICES,
        "tiles": tiles,
        "located": sum(1 for p in projects if p.geometry),
    }
    return _allow_tiles(render(request, "works/project_list.html", context), tiles)


@public_page
def projects_geojson(request):
    government = request.government
    filters = selectors.ProjectFilters.from_params(request.GET)
    projects = selectors.filtered_projects(government, filters, today=timezone.localdate())
    response = JsonResponse(drawings.feature_collection(projects, feature), content_type="application/geo+json")
    response["Content-Disposition"] = 'inline; filename="obras.geojson"'
    return response


def _linked(government, project, kind) -> list[dict]:
    keys = selectors.project_links(project, kind)
    found = registry.resolve_links(government, kind, keys)
    return [{"key": key, "record": found.get(key)} for key in keys]


def _pb_projects(government, project) -> list[dict]:
    """The participatory-budget projects this work names, and those that name this work."""
    found = _linked(government, project, ProjectLink.Kind.PB_PROJECT)
    named = {item["key"] for item in found}
    for record in registry.find_backlinks(government, "works.project", project.slug):
        if record.kind == ProjectLink.Kind.PB_PROJECT and record.key not in named:
            found.append({"key": record.key, "record": record})
    return found


def _detail_context(request, project) -> dict:
    government = request.government
    today = timezone.localdate()
    selectors.with_urls(indicators.attach([project], government=government, today=today))
    timeline = list(selectors.project_timeline(project))
    tiles = _map_settings(government)
    return {
        "project": project,
        "ind": project.indicators,
        "thresholds": indicators.Thresholds.of(government),
        "timeline": timeline,
        "chart": drawings.progress_chart(timeline),
        "drawing": drawings.svg_map([project], photos=[photo for update in timeline for photo in update.photos.all()]),
        "budget_lines": _linked(government, project, ProjectLink.Kind.BUDGET_LINE),
        "processes": _linked(government, project, ProjectLink.Kind.PROCESS),
        # Records of other modules that follow this work (participation's results)
        "followups": [
            r
            for r in registry.find_backlinks(government, "works.project", project.slug)
            if r.kind not in ("works.project", "participation.project")
        ],
        "pb_projects": _pb_projects(government, project),
        "tiles": tiles,
        "geojson": project.geometry,
    }


@public_page
def project_detail(request, slug):
    """Anonymous visitors get a cached page; signed-in people see their own comment form and
    follow state (their pages are never cached)."""
    project = get_object_or_404(selectors.public_projects(request.government).prefetch_related("links"), slug=slug)
    context = _detail_context(request, project)
    return _allow_tiles(render(request, "works/project_detail.html", context), context["tiles"])


@public_page
def project_geojson(request, slug):
    """The project's location, and the photos whose position the official kept."""
    project = get_object_or_404(selectors.public_projects(request.government), slug=slug)
    features = [feature(project)] if project.geometry else []
    for photo in selectors.located_photos(project):
        features.append(
            {
                "type": "Feature",
                "id": f"foto-{photo.pk}",
                "geometry": {"type": "Point", "coordinates": [photo.longitude, photo.latitude]},
                "properties": {"foto": photo.image.url, "descripcion": photo.caption},
            }
        )
    return JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")


@public_page
def planning(request):
    government = request.government
    projects = selectors.filtered_projects(
        government, selectors.ProjectFilters.from_params(request.GET), today=timezone.localdate()
    )
    context = {
        "groups": selectors.planning_groups(projects),
        "drawing": drawings.svg_map(projects),
        "legend": drawings.legend(projects),
        "projects": projects,
    }
    return render(request, "works/planning.html", context)
