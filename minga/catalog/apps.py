import datetime as dt
from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, PeriodicJob, SettingSpec

VIEW_BACKOFFICE = "catalog.view_backoffice"


class CatalogConfig(AppConfig):
    name = "minga.catalog"
    label = "catalog"
    verbose_name = _("Open data")

    # Navigation, permissions and settings are known before the models load (core registers
    # the permissions in its own ready()); the hooks that touch models are added in ready().
    manifest = ModuleManifest(
        key="catalog",
        label=_("Open data"),
        description=_("Datasets of the government, to explore, query and download."),
        nav=(
            NavEntry(_("Open data"), "catalog:dataset_list"),
            NavEntry(_("Data requests"), "catalog:request_list", section=True),
            NavEntry(_("Datasets"), "catalog:office_datasets", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Data requests"), "catalog:office_requests", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(
                _("Themes and licences"), "catalog:office_vocabularies", backoffice=True, permission=VIEW_BACKOFFICE
            ),
            NavEntry(_("Freshness"), "catalog:office_freshness", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Data quality"), "catalog:office_quality", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        periodic=(
            PeriodicJob("catalog.notify_overdue", "minga.catalog.tasks.notify_overdue", dt.timedelta(days=1)),
            PeriodicJob("catalog.compute_quality", "minga.catalog.tasks.compute_quality", dt.timedelta(days=1)),
            PeriodicJob(
                "catalog.publish_module_tables", "minga.catalog.tasks.publish_all_module_tables", dt.timedelta(days=1)
            ),
        ),
        permissions={
            VIEW_BACKOFFICE: "viewer",
            "catalog.edit": "editor",
        },
        settings=(
            SettingSpec(
                "default_licence",
                _("Default licence"),
                "CC-BY-4.0",
                str,
                _("Identifier of the licence proposed for new datasets when none is marked as the default."),
            ),
            SettingSpec(
                "requests_enabled",
                _("Citizens can request data"),
                True,
                bool,
                _("Signed-in citizens with a confirmed e-mail can ask for datasets and support others' requests."),
            ),
            SettingSpec(
                "include_child_governments",
                _("Show the datasets of the governments within this one"),
                True,
                bool,
                _("A province's catalog also lists its cantons' published datasets (and a canton its parishes')."),
            ),
            SettingSpec(
                "outbound_only_hosts",
                _("Only fetch data from these hosts"),
                "",
                str,
                _(
                    "Leave empty to allow any public address, or list the only hosts remote data and link checks may "
                    "reach (comma-separated, e.g. datos.gob.ec; start with a dot for a whole domain). This list can "
                    "only narrow: internal, loopback and cloud-metadata addresses stay refused whatever it says; "
                    "only the platform operator can open a host inside your network."
                ),
            ),
        ),
    )

    def ready(self) -> None:
        from minga.core import opendata

        from . import demo, demo_large, search, summary
        from .datasets import module_tables
        from .refresh import checks  # noqa: F401  (registers the source-database check)
        from .refresh import services as refresh
        from .requests import follows
        from .tables import load_recovery
        from .usage import services as usage

        opendata.register_publisher(module_tables.publish_later)
        usage.register()  # core's use counter hands the catalog's counts to its own rows

        self.manifest = replace(
            type(self).manifest,
            periodic=type(self).manifest.periodic + refresh.PERIODIC_JOBS,
            search=search.REGISTRATIONS,
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
            demo_large_seed=demo_large.seed_large,
            recover_jobs=load_recovery.recover_jobs,
            followables=follows.FOLLOWABLES,
        )
