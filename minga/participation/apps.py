from dataclasses import replace
from importlib import import_module

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec, merge_backlinks

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
COMPONENT_MODULES += ("minga.participation.budgets.component",)

# The sub-packages whose ``registry`` module adds to the manifest (see with_part); results
# extends it itself, last.
PART_REGISTRIES: tuple[str, ...] = tuple(
    f"minga.participation.{part}.registry" for part in ("surveys", "proposals", "events", "committees", "budgets")
)


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
        from .results import registry as results_registry

        for path in COMPONENT_MODULES:
            import_module(path)
        manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
        )
        for path in PART_REGISTRIES:
            manifest = with_part(manifest, import_module(path))
        self.manifest = results_registry.extend(manifest)


def with_part(manifest: ModuleManifest, part) -> ModuleManifest:
    """The manifest with what one sub-package declares in its ``registry`` module (NAV, ACTIONS,
    FOLLOWABLES, COMMENT_TARGETS, PERIODIC, LINK_RESOLVERS, LINK_SEARCH, BACKLINKS,
    RECOVER_JOBS: each optional). Backlinks of a kind two parts answer for are joined, not
    replaced; one part only may declare RECOVER_JOBS (the module's hook)."""
    recover = getattr(part, "RECOVER_JOBS", None)
    if recover is not None and manifest.recover_jobs is not None:
        raise ValueError("Two parts of participation declare RECOVER_JOBS: join them in one hook.")
    return replace(
        manifest,
        nav=manifest.nav + getattr(part, "NAV", ()),
        actions=manifest.actions + getattr(part, "ACTIONS", ()),
        followables=manifest.followables + getattr(part, "FOLLOWABLES", ()),
        comment_targets=manifest.comment_targets + getattr(part, "COMMENT_TARGETS", ()),
        periodic=manifest.periodic + getattr(part, "PERIODIC", ()),
        link_resolvers={**manifest.link_resolvers, **getattr(part, "LINK_RESOLVERS", {})},
        link_search={**manifest.link_search, **getattr(part, "LINK_SEARCH", {})},
        backlinks=merge_backlinks(manifest.backlinks, getattr(part, "BACKLINKS", {})),
        recover_jobs=recover or manifest.recover_jobs,
    )
