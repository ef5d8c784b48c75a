from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry

VIEW_BACKOFFICE = "council.view_backoffice"
EDIT = "council.edit"


class CouncilConfig(AppConfig):
    name = "minga.council"
    label = "council"
    verbose_name = _("Open Council")

    # Navigation and permissions are known before the models load; the demo seed is added in
    # ready().
    manifest = ModuleManifest(
        key="council",
        label=_("Open Council"),
        description=_(
            "The council's legislative work: its members and committees, and each ordinance, resolution and "
            "agreement at every stage, with its versions and what each one changed."
        ),
        nav=(
            NavEntry(_("Council"), "council:home"),
            NavEntry(_("Council acts"), "council:act_list"),
            NavEntry(_("Council"), "council:office_home", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Council acts"), "council:office_acts", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Procedure rules"), "council:office_stages", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={VIEW_BACKOFFICE: "viewer", EDIT: "editor"},
    )

    def ready(self) -> None:
        from . import calendar, demo, opendata, search
        from .follows import registry as follows

        self.manifest = replace(type(self).manifest, demo_seed=demo.seed)
        self.manifest = replace(
            self.manifest,
            followables=self.manifest.followables + follows.FOLLOWABLES,
            search=self.manifest.search + search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            calendar_entries=calendar.entries,
        )
