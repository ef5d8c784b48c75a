"""The settings schema of a process and of each of its phases (Decidim's global and step
settings), checked by `core.phases.settings`. Sub-apps add their own fields through their
`ProcessComponent` (components.py); the fields marked ``locked_by=VOTE`` are voting rules,
fixed once voting opens."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from minga.core.phases.settings import SettingField

from .. import components
from ..features import COMMENT, PROPOSE, SUPPORT, VOTE


class VerificationLevel(models.TextChoices):
    """How sure the government must be of who a person is before an action counts. The keys
    are the ones the platform's verification levels use."""

    NONE = "none", _("None: anyone with an account")
    EMAIL = "email", _("Verified e-mail")
    CEDULA = "cedula", _("Validated cédula")
    CENSUS = "census", _("In the census or electoral roll")
    ASSISTED = "assisted", _("Checked in person at a desk")


VERIFICATION_CHOICES = tuple(VerificationLevel.choices)
ACTION_LABELS = {
    PROPOSE: _("Verification needed to propose"),
    SUPPORT: _("Verification needed to support"),
    COMMENT: _("Verification needed to comment"),
    VOTE: _("Verification needed to vote"),
}
ACTION_DEFAULTS = {PROPOSE: "email", SUPPORT: "email", COMMENT: "email", VOTE: "cedula"}


def verification_key(action: str) -> str:
    return f"verification_{action}"


BASE_PROCESS_SETTINGS = (
    SettingField(
        "support_threshold",
        _("Supports a proposal needs"),
        "integer",
        0,
        _("Supports a proposal must gather to go on to the next phase; 0: no threshold."),
        min_value=0,
        max_value=1_000_000,
    ),
    SettingField(
        "max_supports_per_person",
        _("Supports per person"),
        "integer",
        0,
        _("How many proposals one person may support; 0: no limit."),
        min_value=0,
        max_value=1000,
    ),
    SettingField(
        "proposals_per_person",
        _("Proposals per person"),
        "integer",
        0,
        _("How many proposals one person may submit; 0: no limit."),
        min_value=0,
        max_value=1000,
    ),
    SettingField(
        "max_votes_per_person",
        _("Votes per person"),
        "integer",
        1,
        _("How many options one person may vote for. A voting rule: fixed once voting opens."),
        min_value=1,
        max_value=1000,
        locked_by=VOTE,
    ),
    *(
        SettingField(
            verification_key(action),
            ACTION_LABELS[action],
            "choice",
            ACTION_DEFAULTS[action],
            _("A voting rule: fixed once voting opens.") if action == VOTE else "",
            choices=VERIFICATION_CHOICES,
            locked_by=VOTE if action == VOTE else "",
        )
        for action in (PROPOSE, SUPPORT, COMMENT, VOTE)
    ),
)

BASE_PHASE_SETTINGS = (
    SettingField(
        "announcement",
        _("Announcement"),
        "text",
        "",
        _("A short message shown on the process page while this phase is on."),
        max_length=500,
    ),
    SettingField(
        "hide_support_counts",
        _("Hide support counts"),
        "boolean",
        False,
        _("Supports are counted but not shown while this phase is on."),
    ),
    SettingField(
        "hide_vote_counts",
        _("Hide vote counts while voting"),
        "boolean",
        True,
        _("Votes are not shown until voting ends. A voting rule: fixed once voting opens."),
        locked_by=VOTE,
    ),
)


def process_settings_fields() -> tuple[SettingField, ...]:
    return BASE_PROCESS_SETTINGS + tuple(field for c in components.components() for field in c.process_settings)


def phase_settings_fields() -> tuple[SettingField, ...]:
    return BASE_PHASE_SETTINGS + tuple(field for c in components.components() for field in c.phase_settings)
