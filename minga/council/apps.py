from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.registry import ModuleManifest, NavEntry, VerificationAction
from minga.core.verification.levels import Level

VIEW_BACKOFFICE = "council.view_backoffice"
EDIT = "council.edit"
SEAT_ACTION = "council.seat_request"


class CouncilConfig(AppConfig):
    name = "minga.council"
    label = "council"
    verbose_name = _("Open Council")

    # Navigation and permissions are known before the models load; the demo seed, the settings,
    # verification action and comment target of comments on articles are added in ready().
    manifest = ModuleManifest(
        key="council",
        label=_("Open Council"),
        description=_(
            "The council's legislative work: its members and committees, and each ordinance, resolution and "
            "agreement at every stage, with its versions and what each one changed."
        ),
        nav=(
            NavEntry(_("Council"), "council:home"),
            NavEntry(_("Council acts"), "council:act_list", section=True),
            NavEntry(pgettext_lazy("council", "Sessions"), "council:session_list", section=True),
            NavEntry(_("Council"), "council:office_home", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(_("Council acts"), "council:office_acts", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(
                pgettext_lazy("council", "Sessions"),
                "council:office_sessions",
                backoffice=True,
                permission=VIEW_BACKOFFICE,
            ),
            NavEntry(_("Procedure rules"), "council:office_stages", backoffice=True, permission=VIEW_BACKOFFICE),
            NavEntry(
                _("Effectiveness review"), "council:office_effectiveness", backoffice=True, permission=VIEW_BACKOFFICE
            ),
            NavEntry(_("Silla vacía"), "council:chair_registry", section=True),
            NavEntry(_("Effectiveness review"), "council:effectiveness", section=True),
            NavEntry(_("Silla vacía"), "council:office_chair_list", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={VIEW_BACKOFFICE: "viewer", EDIT: "editor"},
        # The council's SeatRules say which level, at least a confirmed e-mail.
        actions=(
            VerificationAction(
                SEAT_ACTION, _("request the silla vacía"), default_level=Level.CEDULA, minimum_level=Level.EMAIL
            ),
        ),
    )

    def ready(self) -> None:
        from . import calendar, demo, search
        from .debate import rules as debate_rules
        from .debate.target import COMMENT_TARGETS
        from .follows import registry as follows
        from .seat.registry import FOLLOWABLES

        base = type(self).manifest
        self.manifest = replace(
            base,
            demo_seed=demo.seed,
            opendata_tables=opendata_tables,
            followables=FOLLOWABLES + follows.FOLLOWABLES,
            search=search.REGISTRATIONS,
            calendar_entries=calendar.entries,
            settings=base.settings + debate_rules.SETTINGS,
            actions=base.actions + debate_rules.ACTIONS,
            comment_targets=base.comment_targets + COMMENT_TARGETS,
        )


def opendata_tables(government):
    """The council's open-data tables: each sub-package's list, concatenated."""
    from . import opendata
    from .effectiveness import opendata as effectiveness

    return [*opendata.tables(government), *effectiveness.tables(government)]
