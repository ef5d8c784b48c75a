from dataclasses import replace
from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec

from .events.nav import NAV as EVENT_NAV
from .features import PHASE_FEATURES

VIEW_BACKOFFICE = "participation.view_backoffice"
EDIT = "participation.edit"
MODERATE = "participation.moderate"

# The sub-apps' component modules (each registers its `components.ProcessComponent` when
# imported): adding a sub-app to the process page is one line here.
COMPONENT_MODULES: tuple[str, ...] = ()
COMPONENT_MODULES += ("minga.participation.results.component",)
COMPONENT_MODULES += ("minga.participation.events.component", "minga.participation.committees.component")
COMPONENT_MODULES += ("minga.participation.surveys.component",)
COMPONENT_MODULES += ("minga.participation.proposals.component",)


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
            NavEntry(
                _("Surveys"), "participation:office_surveys", backoffice=True, permission=VIEW_BACKOFFICE
            ),  # surveys
            NavEntry(_("Proposals"), "participation:office_proposals", backoffice=True, permission=VIEW_BACKOFFICE),
        )
        + EVENT_NAV,
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
        from .proposals import registry as proposals
        from .results import registry as results_registry
        from .surveys import registry as surveys

        for path in COMPONENT_MODULES:
            import_module(path)
        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
            actions=type(self).manifest.actions + surveys.ACTIONS,
        )
        self.manifest = results_registry.extend(self.manifest)
        # Events and oversight committees (one line per manifest field)
        from .committees import registry as committees
        from .events import registry as events
        from .results.links import merged_backlinks

        manifest = self.manifest
        self.manifest = replace(
            manifest,
            followables=manifest.followables + events.FOLLOWABLES,
            link_resolvers={**manifest.link_resolvers, **events.LINK_RESOLVERS, **committees.LINK_RESOLVERS},
            link_search={**manifest.link_search, **events.LINK_SEARCH, **committees.LINK_SEARCH},
            backlinks=merged_backlinks(manifest.backlinks, committees.BACKLINKS),
            periodic=manifest.periodic + events.PERIODIC,
        )
        manifest = self.manifest
        self.manifest = replace(
            manifest,
            actions=manifest.actions + proposals.ACTIONS,
            followables=manifest.followables + proposals.FOLLOWABLES,
            comment_targets=manifest.comment_targets + proposals.COMMENT_TARGETS,
            link_resolvers={**manifest.link_resolvers, **proposals.LINK_RESOLVERS},
            link_search={**manifest.link_search, **proposals.LINK_SEARCH},
        )
