from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest


class WorksConfig(AppConfig):
    name = "minga.works"
    label = "works"
    verbose_name = _("Public works")

    manifest = ModuleManifest(
        key="works",
        label=_("Public works"),
        description=_("Public works and investment projects on a map, with their progress, money and citizen oversight."),
    )
