from dataclasses import replace

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest, NavEntry, SettingSpec

from .procedures import WORKS_THRESHOLD_COEFFICIENTS

VIEW_BACKOFFICE = "procurement.view_backoffice"
EDIT = "procurement.edit"


class ProcurementConfig(AppConfig):
    name = "minga.procurement"
    label = "procurement"
    verbose_name = _("Public contracting")

    manifest = ModuleManifest(
        key="procurement",
        label=_("Public contracting"),
        description=_(
            "Search the government's contracting processes, suppliers and red flags, from the data it publishes in OCDS."
        ),
        nav=(
            NavEntry(_("Contracting"), "procurement:search"),
            NavEntry(
                _("Contracting imports"), "procurement:office_imports", backoffice=True, permission=VIEW_BACKOFFICE
            ),
            NavEntry(
                _("Procedure types"), "procurement:office_procedures", backoffice=True, permission=VIEW_BACKOFFICE
            ),
            NavEntry(_("Red flags"), "procurement:office_flags", backoffice=True, permission=VIEW_BACKOFFICE),
        ),
        permissions={
            VIEW_BACKOFFICE: "viewer",
            EDIT: "editor",
        },
        settings=(
            SettingSpec(
                "r003_min_days",
                _("Shortest submission period (days)"),
                15,
                int,
                _("R003 fires when the tender period is shorter than this, unless the procedure has its own minimum."),
            ),
            SettingSpec(
                "r003_days_by_procedure",
                _("Shortest submission period by procedure"),
                "cotizacion=7, licitacion=10, licitacion-seguros=10",
                str,
                _("Procedure code = days, separated by commas; overrides the general minimum."),
            ),
            SettingSpec(
                "splitting_window_days",
                _("Splitting window (days)"),
                30,
                int,
                _("Ínfima cuantía purchases of one family from one supplier within this many days are added up."),
            ),
            SettingSpec(
                "item_family_digits",
                _("Digits of the item family"),
                5,
                int,
                _("Leading digits of the CPC code that make an item family (splitting flag and category filter)."),
            ),
            SettingSpec(
                "emergency_share_percent",
                _("Highest share of emergency contracting (%)"),
                10,
                int,
                _("EMER fires on a buyer's emergency processes when they exceed this share of its year."),
            ),
            SettingSpec(
                "concentration_percent",
                _("Highest share of one supplier (%)"),
                40,
                int,
                _("CONC fires when one supplier received more than this share of a buyer's awards in a year."),
            ),
            SettingSpec(
                "concentration_min_processes",
                _("Processes needed for the concentration flag"),
                5,
                int,
                _("A buyer with fewer awarded processes in the year is not assessed."),
            ),
            SettingSpec(
                "amendment_percent",
                _("Largest amendment (%)"),
                25,
                int,
                _("AMEND fires when a contract grew by more than this share of its original amount."),
            ),
            SettingSpec(
                "new_supplier_days",
                _("Newly registered supplier (days)"),
                90,
                int,
                _("NEWSUP fires when the supplier was registered fewer than this many days before the award."),
            ),
            SettingSpec(
                "supplier_registration_keys",
                _("Keys of the supplier's registration date"),
                "registrationDate",
                str,
                _(
                    "The keys of parties[].details that hold a supplier's registration date in the published data, "
                    "separated by commas (a dotted key reaches into nested objects); the first that holds a date wins."
                ),
            ),
            SettingSpec(
                "works_threshold_coefficients",
                _("Threshold coefficients for works"),
                WORKS_THRESHOLD_COEFFICIENTS,
                str,
                _(
                    "Procedure code = coefficient of the PIE, separated by commas: the upper limit THRESH uses for works "
                    "where it differs from the procedure type's (goods and services) coefficient."
                ),
            ),
        ),
    )

    def ready(self) -> None:
        from . import demo, importing, links, opendata, search, summary

        self.manifest = replace(
            type(self).manifest,
            search=search.REGISTRATIONS,
            search_sources=search.SOURCES,
            opendata_tables=opendata.tables,
            link_resolvers={links.KIND: links.resolve_processes},
            link_search={links.KIND: links.search_processes},
            backlinks={"budget.line": links.processes_for_budget_line},
            public_stats=summary.public_stats,
            latest_updates=summary.latest_updates,
            demo_seed=demo.seed,
            demo_large_seed=demo.seed_large,
            recover_jobs=importing.recover_jobs,
        )
