from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec

VIEW_BACKOFFICE = "geo.view_backoffice"
EDIT = "geo.edit"


class GeoConfig(AppConfig):
    name = "minga.geo"
    label = "geo"
    verbose_name = _("Geovisor")

    manifest = ModuleManifest(
        key="geo",
        label=_("Geovisor"),
        description=_(
            "Maps of the territory: layers, public works and indicators, and OGC API – Features for GIS software."
        ),
        nav=(
            NavEntry(_("Geovisor"), "geo:map"),
            NavEntry(_("Map layers"), "geo:office_layers", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={VIEW_BACKOFFICE: "viewer", EDIT: "editor"},
        settings=(
            SettingSpec(
                "tile_url",
                _("Background map tile address"),
                "",
                str,
                _(
                    "Address of a tile server with {z}, {x} and {y}, e.g. https://tiles.example.ec/{z}/{x}/{y}.png. "
                    "Empty: the portal's own base map is drawn, which also works offline."
                ),
            ),
            SettingSpec(
                "tile_attribution",
                _("Background map credit"),
                "",
                str,
                _("Credit line the tile provider asks for, e.g. © OpenStreetMap contributors."),
            ),
        ),
    )

    def ready(self) -> None:
        from . import demo, importing, opendata, search, selectors, summary

        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            public_stats=summary.public_stats,
            opendata_tables=opendata.tables,
            dpa_areas=selectors.dpa_areas,
            base_boundaries=selectors.base_boundaries,
            demo_seed=demo.seed,
            recover_jobs=importing.recover_jobs,
        )
