from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest


class ProcurementConfig(AppConfig):
    name = "minga.procurement"
    label = "procurement"
    verbose_name = _("Public contracting")

    manifest = ModuleManifest(
        key="procurement",
        label=_("Public contracting"),
        description=_("Search the government's contracting processes, suppliers and red flags, from the data it publishes in OCDS."),
    )
