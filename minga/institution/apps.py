from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry


class InstitutionConfig(AppConfig):
    name = "minga.institution"
    label = "institution"
    verbose_name = _("Access to the government")

    manifest = ModuleManifest(
        key="institution",
        label=_("Access to the government"),
        description=_("How the government is organised, who leads it and its public agenda."),
        nav=(
            NavEntry(_("Organisation chart"), "institution:orgchart"),
            NavEntry(_("Authorities"), "institution:authorities"),
            NavEntry(_("Agenda"), "institution:agenda"),
        ),
        permissions={
            "institution.view_backoffice": "viewer",
            "institution.edit": "editor",
        },
    )
