"""The works drawn as a server-rendered SVG (no tiles, no JavaScript) and as GeoJSON for the
interactive map; colours by status, and a small two-series chart of a project's progress."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from minga.core.ui import maps

from .models import Status

STATUS_COLOURS = {
    Status.IDENTIFICATION: "#5b3f8c",
    Status.PREPARATION: "#1f4e99",
    Status.IMPLEMENTATION: "#b24a12",
    Status.SUSPENDED: "#a4161a",
    Status.COMPLETED: "#2e6b30",
    Status.CANCELLED: "#444f55",
}


def feature_collection(projects, feature) -> dict:
    return {"type": "FeatureCollection", "features": [feature(p) for p in projects if p.geometry]}


def svg_map(projects, photos=()) -> dict | None:
    """The drawing for the template, each shape with its project; None when nothing has a
    location. Photos whose position the official kept are drawn as small squares."""
    located = [p for p in projects if p.geometry]
    if not located:
        return None
    placed = [photo for photo in photos if photo.latitude is not None and photo.longitude is not None]
    features = [{"type": "Feature", "geometry": p.geometry, "properties": {"name": p.title}} for p in located]
    features += [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [ph.longitude, ph.latitude]}, "properties": {}}
        for ph in placed
    ]
    drawing = maps.draw(maps.parse_geojson(json.dumps({"type": "FeatureCollection", "features": features}).encode()))
    photo_marks = []
    for shape in drawing["shapes"]:
        if shape["index"] >= len(located):
            x, y = shape["points"][0]
            photo_marks.append(
                {"photo": placed[shape["index"] - len(located)], "x": round(x - 5, 1), "y": round(y - 5, 1)}
            )
            continue
        project = located[shape["index"]]
        shape["project"] = project
        shape["colour"] = STATUS_COLOURS.get(project.status, "#444f55")
    drawing["shapes"] = [shape for shape in drawing["shapes"] if "project" in shape]
    drawing["photos"] = photo_marks
    drawing["labels"] = _territory_labels(located, drawing["bounds"])
    return drawing


def _territory_labels(projects, bounds) -> list[dict]:
    """Names of the cantons or parishes at the middle of their works: without tiles, they are
    what tells a reader where on the map a work is."""
    places: dict[str, list[tuple[float, float]]] = {}
    for project in projects:
        if project.territory_name and project.centre:
            places.setdefault(project.territory_name, []).append(project.centre)
    if len(places) < 2:
        return []
    project_point = maps.Projection(bounds)
    labels = []
    for name, centres in sorted(places.items()):
        lon = sum(c[0] for c in centres) / len(centres)
        lat = sum(c[1] for c in centres) / len(centres)
        x, y = project_point(lon, lat)
        labels.append({"x": x, "y": round(y - 10, 1), "text": name})
    return labels


def legend(projects) -> list[dict]:
    present = {p.status for p in projects}
    return [
        {"status": status, "label": status.label, "colour": colour}
        for status, colour in STATUS_COLOURS.items()
        if status in present
    ]


def progress_chart(updates) -> dict | None:
    """Physical and financial progress over time (oldest first) as two polylines, 0–100 %."""
    points = sorted(updates, key=lambda u: (u.reported_on, u.created_at))
    if len(points) < 2:
        return None
    width, height, left, right, top, bottom = 640, 240, 44, 16, 16, 36
    first, last = points[0].reported_on, points[-1].reported_on
    span = max((last - first).days, 1)

    def x(day):
        return round(left + (day - first).days / span * (width - left - right), 1)

    def y(percent):
        return round(top + (100 - float(percent)) / 100 * (height - top - bottom), 1)

    def line(attribute):
        return " ".join(f"{x(u.reported_on)},{y(getattr(u, attribute))}" for u in points)

    return {
        "width": width,
        "height": height,
        "physical": line("physical_progress"),
        "financial": line("financial_progress"),
        "ticks": [{"y": y(v), "label": f"{v} %"} for v in (0, 25, 50, 75, 100)],
        "left": left,
        "right": width - right,
        "first": first,
        "last": last,
        "label_y": height - 12,
        "updates": points,
    }


def tile_origin(url: str) -> str:
    """scheme://host of a tile URL template, for the content security policy; "" if unusable."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc or "{z}" not in url:
        return ""
    return f"{parts.scheme}://{parts.netloc.replace('{s}.', '*.')}"
