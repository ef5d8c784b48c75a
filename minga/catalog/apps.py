from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry


class CatalogConfig(AppConfig):
    name = "minga.catalog"
    label = "catalog"
    verbose_name = _("Open data")

    manifest = ModuleManifest(
        key="catalog",
        label=_("Open data"),
        description=_("Datasets of the government, to explore, query and download."),
        nav=(NavEntry(_("Open data"), "catalog:dataset_list"),),
        permissions={
            "catalog.view_backoffice": "viewer",
            "catalog.edit": "editor",
        },
    )
