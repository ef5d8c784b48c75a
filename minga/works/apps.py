from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec

VIEW_BACKOFFICE = "works.view_backoffice"
EDIT = "works.edit"
MODERATE = "works.moderate"


class WorksConfig(AppConfig):
    name = "minga.works"
    label = "works"
    verbose_name = _("Public works")

    # Navigation, permissions and settings are known before the models load; the hooks that
    # touch models are added in ready().
    manifest = ModuleManifest(
        key="works",
        label=_("Public works"),
        description=_(
            "Public works and investment projects on a map, with their progress, money and citizen oversight."
        ),
        nav=(
            NavEntry(_("Public works"), "works:project_list"),
            NavEntry(_("Works"), "works:office_projects", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={
            VIEW_BACKOFFICE: "viewer",
            EDIT: "editor",
            MODERATE: "editor",
        },
        settings=(
            SettingSpec(
                "stale_after_days",
                _("Days without an update before a work is flagged"),
                90,
                int,
                _(
                    "A work under construction or suspended with no progress update for longer is flagged “sin actualización”."
                ),
            ),
            SettingSpec(
                "gap_points",
                _("Physical–financial gap that raises a flag (points)"),
                20,
                int,
                _("Flag a work when its financial progress is ahead of its physical progress by more than this."),
            ),
            SettingSpec(
                "overrun_percent",
                _("Cost overrun that raises a flag (%)"),
                10,
                int,
                _("Flag a work when its contracted or paid amount exceeds the planned amount by more than this."),
            ),
            SettingSpec(
                "tile_url",
                _("Map tile server"),
                "",
                str,
                _(
                    "Address of a tile server for the interactive map, e.g. https://tiles.example.org/{z}/{x}/{y}.png; "
                    "empty: no background tiles (the works are still drawn). Only https servers; the map pages allow that host."
                ),
            ),
            SettingSpec(
                "tile_attribution",
                _("Map tile attribution"),
                "",
                str,
                _("Credit shown on the map for the tiles, as their licence asks."),
            ),
        ),
    )

    def ready(self) -> None:
        from . import comments, demo, follows, links, opendata, search, summary

        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            link_resolvers={links.KIND: links.resolve_projects},
            link_search={links.KIND: links.search_projects},
            backlinks=links.BACKLINKS,
            map_layers=links.map_layers,
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
            followables=follows.FOLLOWABLES,
            comment_targets=comments.COMMENT_TARGETS,
        )
