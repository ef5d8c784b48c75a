"""Loading many works at once from a GeoJSON FeatureCollection, as GIS programs export them:
one feature per project, its geometry the location, its properties the fields (the same
Spanish names as the portal's own GeoJSON and open-data table). Every feature is checked
before anything is written; one bad feature refuses the whole file with a report that names
each problem, and the works already published stay as they were. A feature whose
`identificador` (or Feature `id`) matches an existing project updates it, so loading the same
file twice changes nothing."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from minga.core import spatial

from . import services
from .locations import parse_location
from .models import RESERVED_SLUGS, Project, ProjectLink, Sector, Status

MAX_BYTES = 10 * 1024 * 1024
MAX_FEATURES = 2000
# Decimals kept from reprojected coordinates: 1e-7 degrees is about a centimetre.
PRECISION = 7
TEXT = {
    "titulo": "title",
    "descripcion": "description",
    "codigo": "code",
    "area_interes": "area_of_interest",
    "unidad_responsable": "responsible_unit",
    "contratista": "contractor",
    "codigo_dpa": "dpa_code",
    "territorio": "territory_name",
}
AMOUNTS = {
    "monto_planificado": "amount_planned",
    "monto_contratado": "amount_contracted",
    "monto_pagado": "amount_paid",
}
DATES = {
    "inicio_planificado": "planned_start",
    "fin_planificado": "planned_end",
    "inicio_real": "actual_start",
    "fin_real": "actual_end",
}
LISTS = {"objetivos_pdot": "pdot_objectives", "metas_ods": "sdg_targets"}


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


class ImportRefused(ValidationError):
    """The file was refused; `problems` lists every one, in the reader's language."""

    def __init__(self, problems: list[str]):
        super().__init__(problems)
        self.problems = problems


def _list(value) -> list[str]:
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return [part.strip() for part in str(value or "").split(";") if part.strip()]


def _lookup(choices) -> dict[str, str]:
    """Code by code and by label in each of the portal's languages (files come from Spanish
    spreadsheets as often as from code lists)."""
    found: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in choices:
                found[str(label).lower()] = code
    found.update({code: code for code, _label in choices})
    return found


def _choice(value, lookup: dict[str, str], what: str, errors: list[str]) -> str | None:
    if value in (None, ""):
        return None
    code = lookup.get(str(value).strip().lower())
    if code is None:
        errors.append(_("unknown %(what)s “%(value)s”") % {"what": what, "value": str(value).strip()[:40]})
    return code


def _feature_fields(feature: dict, errors: list[str], lookups: dict) -> tuple[str, dict, dict]:
    properties = feature.get("properties") if isinstance(feature.get("properties"), dict) else {}
    slug = slugify(str(properties.get("identificador") or feature.get("id") or ""))[:90]
    fields: dict = {}
    for key, name in TEXT.items():
        if properties.get(key) not in (None, ""):
            fields[name] = str(properties[key]).strip()
    if not fields.get("title"):
        errors.append(_("it has no “titulo”"))
    for key, name in AMOUNTS.items():
        if properties.get(key) in (None, ""):
            continue
        try:
            amount = Decimal(str(properties[key]))
        except InvalidOperation:
            errors.append(_("“%(key)s” is not a number") % {"key": key})
            continue
        if not amount.is_finite() or amount < 0:
            errors.append(_("“%(key)s” must be zero or more") % {"key": key})
        else:
            fields[name] = amount.quantize(Decimal("0.01"))
    for key, name in DATES.items():
        if properties.get(key) in (None, ""):
            continue
        try:
            fields[name] = dt.date.fromisoformat(str(properties[key])[:10])
        except ValueError:
            errors.append(_("“%(key)s” is not a date (YYYY-MM-DD)") % {"key": key})
    for key, name in LISTS.items():
        if key in properties:
            fields[name] = _list(properties[key])
    sector = _choice(properties.get("sector"), lookups["sector"], _("sector"), errors)
    status = _choice(properties.get("estado"), lookups["status"], _("status"), errors)
    if sector:
        fields["sector"] = sector
    if status:
        fields["status"] = status
    if "publicado" in properties:
        fields["is_published"] = str(properties["publicado"]).strip().lower() in ("1", "true", "si", "sí", "yes")
    links = {}
    for key, kind in (("partidas", ProjectLink.Kind.BUDGET_LINE), ("ocids", ProjectLink.Kind.PROCESS)):
        if key in properties:
            try:
                links[kind] = services.parse_keys(_list(properties[key]), kind)
            except ValidationError as error:
                errors.extend(error.messages)
    return slug, fields, links


def _geometry(feature: dict, transformer, crs, errors: list[str]):
    """(the location as stored, the geometry in WGS 84) of one feature."""
    geometry = feature.get("geometry")
    if not geometry:
        return None, None
    if transformer is not None:
        try:
            geometry = spatial.reproject_geojson(geometry, transformer, precision=PRECISION)
        except ValueError:
            errors.append(_("its coordinates cannot be converted from %(crs)s") % {"crs": spatial.crs_label(crs)})
            return None, None
    try:
        location = parse_location(geometry)
    except ValidationError as error:
        errors.extend(error.messages)
        if transformer is None and _looks_projected(geometry):
            errors.append(
                _("the file is probably in a projected system such as UTM 17S: choose its EPSG code in the form")
            )
        return None, None
    return location, geometry


def _looks_projected(geometry) -> bool:
    """Metres, not degrees: what a UTM file without a `crs` member looks like."""
    found: list = []
    try:
        spatial.collect_positions(geometry, found)
    except ValueError:
        return False
    return any(abs(p[0]) > 180 or abs(p[1]) > 90 for p in found)


def _check(government, features: list, transformer=None, crs=None) -> list[tuple]:
    problems, plans, seen = [], [], set()
    lookups = {"sector": _lookup(Sector.choices), "status": _lookup(Status.choices)}
    for number, feature in enumerate(features, start=1):
        errors: list[str] = []
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(_("Feature %(number)d: it is not a GeoJSON Feature.") % {"number": number})
            continue
        slug, fields, links = _feature_fields(feature, errors, lookups)
        _location, geometry = _geometry(feature, transformer, crs, errors)
        if slug in RESERVED_SLUGS:
            errors.append(_("the identifier “%(slug)s” is reserved") % {"slug": slug})
        if slug and slug in seen:
            errors.append(_("the identifier “%(slug)s” appears twice in the file") % {"slug": slug})
        seen.add(slug)
        if errors:
            title = fields.get("title") or slug or "—"
            problems.append(
                _("Feature %(number)d (“%(title)s”): %(problems)s.")
                % {"number": number, "title": title[:80], "problems": "; ".join(errors)}
            )
            continue
        plans.append((number, slug, fields, links, geometry))
    if problems:
        raise ImportRefused(problems)
    return plans


def _transformer(data: dict, declared: str):
    """The official's choice in the form overrides the file's `crs` member; a file that names
    neither is WGS 84, as RFC 7946 says."""
    try:
        crs = spatial.declared_crs(declared) or spatial.geojson_crs(data)
        return spatial.transformer_to_wgs84(crs) if crs is not None else None, crs
    except spatial.UnknownCRS as error:
        raise ImportRefused([str(error)]) from error


def projects_import(*, actor, government, raw: bytes, declared_crs: str = "", now=None) -> ImportResult:
    """Create or update the projects of a GeoJSON FeatureCollection, all or nothing; the
    coordinates are converted to WGS 84 when the file (or the official) names another system."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused([_("The file is larger than 10 MB.")])
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise ImportRefused([_("The file is not valid JSON (GeoJSON is JSON).")]) from None
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise ImportRefused([_("The file is JSON but not a GeoJSON FeatureCollection.")])
    features = data["features"]
    if not features:
        raise ImportRefused([_("The collection has no features.")])
    if len(features) > MAX_FEATURES:
        raise ImportRefused([_("The file has more than %(max)d features.") % {"max": MAX_FEATURES}])
    transformer, crs = _transformer(data, declared_crs)
    plans = _check(government, features, transformer, crs)
    result = ImportResult()
    with transaction.atomic():
        existing = {
            p.slug: p for p in Project.objects.filter(government=government, slug__in=[p[1] for p in plans if p[1]])
        }
        for number, slug, fields, links, geometry in plans:
            try:
                project = existing.get(slug)
                if project is None:
                    created = services.project_create(
                        actor=actor, government=government, location=geometry, links=links, now=now, slug=slug, **fields
                    )
                    result.created.append(created.slug)
                    continue
                before = services.project_state(project)
                updated = services.project_update(
                    actor=actor,
                    government=government,
                    project=project,
                    location=geometry,
                    links=links,
                    now=now,
                    **fields,
                )
                (result.updated if services.project_state(updated) != before else result.unchanged).append(updated.slug)
            except ValidationError as error:
                # Checks that need the database (a completed work without its end date…) end
                # here: the transaction rolls back and nothing of the file stays.
                messages = (
                    [f"{k}: {' '.join(v)}" for k, v in error.message_dict.items()]
                    if hasattr(error, "error_dict")
                    else error.messages
                )
                raise ImportRefused(
                    [
                        _("Feature %(number)d (“%(title)s”): %(problems)s.")
                        % {"number": number, "title": fields.get("title", slug)[:80], "problems": "; ".join(messages)}
                    ]
                ) from error
    return result
