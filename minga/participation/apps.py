from dataclasses import replace
from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec

from .features import PHASE_FEATURES

VIEW_BACKOFFICE = "participation.view_backoffice"
EDIT = "participation.edit"
MODERATE = "participation.moderate"

# The sub-apps' component modules (each registers its `components.ProcessComponent` when
# imported): adding a sub-app to the process page is one line here.
COMPONENT_MODULES: tuple[str, ...] = ("minga.participation.budgets.component",)


class ParticipationConfig(AppConfig):
    name = "minga.participation"
    label = "participation"
    verbose_name = _("Citizen participation")

    # Navigation, permissions, settings and phase features are known before the models load;
    # the hooks that touch models are added in ready().
    manifest = ModuleManifest(
        key="participation",
        label=_("Citizen participation"),
        description=_(
            "Participatory processes in phases: participatory budgets, consultations and calls for proposals, "
            "with the rules of each phase."
        ),
        nav=(
            NavEntry(_("Participation"), "participation:process_list"),
            NavEntry(
                _("Participatory processes"),
                "participation:office_processes",
                backoffice=True,
                permission=VIEW_BACKOFFICE,
            ),
        ),
        permissions={
            VIEW_BACKOFFICE: "viewer",
            EDIT: "editor",
            MODERATE: "editor",
        },
        settings=(
            SettingSpec(
                "neighbourhoods",
                _("Neighbourhoods and communities"),
                [],
                list,
                _(
                    "Territories without a DPA code that a process can be limited to, one per line: a code of "
                    "your choice, a space and the name, e.g. B-07 Barrio San Pablo. Parishes need not be listed: "
                    "they come from the geovisor's boundaries and the platform's governments."
                ),
            ),
            SettingSpec(
                "finished_shown",
                _("Finished processes shown"),
                12,
                int,
                _("How many finished processes the public list shows, the most recent first."),
            ),
        ),
        phase_features=PHASE_FEATURES,
    )

    def ready(self) -> None:
        from . import demo, opendata, search, summary
        from .budgets import registry as budgets_registry

        for path in COMPONENT_MODULES:
            import_module(path)
        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
        )
        self.manifest = replace(
            self.manifest,
            nav=self.manifest.nav + budgets_registry.NAV,
            actions=self.manifest.actions + budgets_registry.ACTIONS,
            link_resolvers={**self.manifest.link_resolvers, **budgets_registry.LINK_RESOLVERS},
            link_search={**self.manifest.link_search, **budgets_registry.LINK_SEARCH},
            backlinks={**self.manifest.backlinks, **budgets_registry.BACKLINKS},
        )
