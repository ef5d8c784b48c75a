from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from minga.core.registry import ModuleManifest


class BudgetConfig(AppConfig):
    name = "minga.budget"
    label = "budget"
    verbose_name = _("Budget execution")

    manifest = ModuleManifest(
        key="budget",
        label=_("Budget execution"),
        description=_("Current and past budgets: what was planned, committed, accrued and paid, line by line."),
    )
