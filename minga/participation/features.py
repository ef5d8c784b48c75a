"""What the phases of a participatory process can switch on. Declared in the manifest
(`phase_features`), so core's phase machinery knows them; the sub-apps that act on a feature
(proposals, budgets, surveys…) read whether it is on through `processes.selectors`."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from minga.core.phases.features import PhaseFeature

MODULE = "participation"

PROPOSE = "propose"
SUPPORT = "support"
COMMENT = "comment"
VOTE = "vote"
SHOW_RESULTS = "show_results"
EVALUATE = "evaluate"

PHASE_FEATURES = (
    PhaseFeature(PROPOSE, pgettext_lazy("phase feature", "Propose"), _("Citizens submit proposals.")),
    PhaseFeature(
        SUPPORT, pgettext_lazy("phase feature", "Support"), _("Citizens support the proposals they want to go forward.")
    ),
    PhaseFeature(
        COMMENT, pgettext_lazy("phase feature", "Comment"), _("Citizens comment on the process and its proposals.")
    ),
    PhaseFeature(
        EVALUATE,
        _("Technical evaluation"),
        _("The government's staff check whether proposals are feasible, and publish why."),
    ),
    PhaseFeature(
        VOTE,
        pgettext_lazy("phase feature", "Vote"),
        _("Citizens vote. From the moment a voting phase starts, the voting rules cannot change."),
        locks_rules=True,
    ),
    PhaseFeature(SHOW_RESULTS, pgettext_lazy("phase feature", "Show results"), _("The results are published.")),
)

# The actions a person takes (and the verification each may require), in the order shown.
ACTIONS = (PROPOSE, SUPPORT, COMMENT, VOTE)
