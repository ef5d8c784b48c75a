from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec

VIEW_BACKOFFICE = "institution.view_backoffice"


class InstitutionConfig(AppConfig):
    name = "minga.institution"
    label = "institution"
    verbose_name = _("Access to the government")

    # Navigation, permissions and settings are known before the models load (core registers
    # the permissions in its own ready()); the hooks that touch models are added in ready().
    manifest = ModuleManifest(
        key="institution",
        label=_("Access to the government"),
        description=_("How the government is organised, who leads it and its public agenda."),
        nav=(
            NavEntry(_("Organisation chart"), "institution:orgchart"),
            NavEntry(_("Authorities"), "institution:authorities"),
            NavEntry(_("Agenda"), "institution:agenda"),
            NavEntry(_("Units"), "institution:office_units", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Authorities"), "institution:office_authorities", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Agenda"), "institution:office_events", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={
            VIEW_BACKOFFICE: "viewer",
            "institution.edit": "editor",
        },
        settings=(
            SettingSpec(
                "agenda_months_shown",
                _("Months shown in the agenda list"),
                3,
                int,
                _("How many months ahead (and back) the agenda list covers."),
            ),
            SettingSpec(
                "show_past_authorities",
                _("Show past authorities"),
                True,
                bool,
                _("List the authorities whose term has ended in a separate section of the gallery."),
            ),
        ),
    )

    def ready(self) -> None:
        from . import demo, directory, opendata, search, summary

        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            opendata_tables=opendata.tables,
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
            unit_directory=directory.unit_directory,
        )
