from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest


class GeoConfig(AppConfig):
    name = "minga.geo"
    label = "geo"
    verbose_name = _("Geovisor")

    manifest = ModuleManifest(
        key="geo",
        label=_("Geovisor"),
        description=_("Maps of the territory: layers, public works and indicators, and OGC API – Features for GIS software."),
    )
