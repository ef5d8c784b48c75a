from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry

VIEW_BACKOFFICE = "budget.view_backoffice"
IMPORT = "budget.import"


class BudgetConfig(AppConfig):
    name = "minga.budget"
    label = "budget"
    verbose_name = _("Budget execution")

    # Navigation and permissions are known before the models load; the hooks that read
    # models are added in ready().
    manifest = ModuleManifest(
        key="budget",
        label=_("Budget execution"),
        description=_("Current and past budgets: what was planned, committed, accrued and paid, line by line."),
        nav=(
            NavEntry(_("Budget"), "budget:overview"),
            NavEntry(_("Budget"), "budget:office_home", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={
            VIEW_BACKOFFICE: "viewer",
            IMPORT: "editor",
        },
    )

    def ready(self) -> None:
        from . import demo, importing, links, opendata, search, summary

        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            link_resolvers={links.KIND: links.resolve_lines},
            link_search={links.KIND: links.search_lines},
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
            recover_jobs=importing.recover_jobs,
        )
