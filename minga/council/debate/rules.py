"""When an act takes comments on its articles. By default: acts of the kinds named in the
module's settings (ordinance projects) while their current stage is one the settings name
(from the qualification by the secretariat to the first debate). An editor may open or close
an act's comments by hand and set a last day (``DebateSetting``). Only the latest version of
the text takes comments; the comments of earlier versions stay readable."""

from __future__ import annotations

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from minga.core.registry import SettingSpec, VerificationAction, module_settings
from minga.core.verification.levels import Level, parse_level

from ..acts.models import Act, Unit
from ..lifecycle.stages import STAGE_KEYS, STAGES
from .models import DebateSetting

TARGET = "council.article"
ACTION = "council.comment"
# Units a citizen may comment on: articles and provisions, not headings or the preamble.
COMMENTABLE = (
    Unit.Kind.ARTICLE,
    Unit.Kind.GENERAL,
    Unit.Kind.TRANSITORY,
    Unit.Kind.REFORMATORY,
    Unit.Kind.DEROGATORY,
    Unit.Kind.FINAL,
)
DEFAULT_STAGES = ["qualified", "committee_assigned", "committee_report", "first_debate"]
DEFAULT_KINDS = ["ordinance"]

SETTINGS = (
    SettingSpec(
        "comment_stages",
        gettext_lazy("Stages in which acts take comments on their articles"),
        DEFAULT_STAGES,
        list,
        gettext_lazy(
            "One stage key a line: presented, qualified, committee_assigned, committee_report, first_debate, "
            "second_debate. An editor can still open or close an act by hand."
        ),
    ),
    SettingSpec(
        "comment_kinds",
        gettext_lazy("Kinds of act that take comments on their articles"),
        DEFAULT_KINDS,
        list,
        gettext_lazy("One a line: ordinance, resolution, agreement."),
    ),
    SettingSpec(
        "comment_level",
        gettext_lazy("Verification needed to comment on an article"),
        "email",
        str,
        gettext_lazy("email, cedula, census or assisted."),
    ),
)

ACTIONS = (
    VerificationAction(
        ACTION, gettext_lazy("comment on an article"), default_level=Level.EMAIL, minimum_level=Level.EMAIL
    ),
)


def _settings(government) -> dict:
    return module_settings(government, "council")


def open_stages(government) -> list[str]:
    values = _settings(government).get("comment_stages") or []
    if isinstance(values, str):
        values = values.replace(",", "\n").splitlines()
    return [value.strip() for value in values if value.strip() in STAGE_KEYS]


def open_kinds(government) -> list[str]:
    values = _settings(government).get("comment_kinds") or []
    if isinstance(values, str):
        values = values.replace(",", "\n").splitlines()
    return [value.strip() for value in values if value.strip() in Act.Kind.values]


def comment_level(government) -> Level:
    """The level the settings ask (a typo in them falls back to a confirmed e-mail)."""
    try:
        return parse_level(_settings(government).get("comment_level") or "email")
    except ValueError:
        return Level.EMAIL


def setting_of(act: Act) -> DebateSetting | None:
    if not hasattr(act, "_debate_setting"):
        act._debate_setting = DebateSetting.objects.for_government(act.government_id).filter(act=act).first()
    return act._debate_setting


def _date(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def closed_reason(act: Act, today: dt.date, government=None) -> str:
    """ "" while the act takes comments, else why not, in a sentence for citizens."""
    setting = setting_of(act)
    if setting is not None and setting.mode == DebateSetting.Mode.CLOSED:
        return _("The council closed the comments on this act. The comments written stay readable.")
    if setting is not None and setting.closes_on and today > setting.closes_on:
        return _("Comments on this act closed on %(date)s. The comments written stay readable.") % {
            "date": _date(setting.closes_on)
        }
    if setting is not None and setting.mode == DebateSetting.Mode.OPEN:
        return ""
    government = government or act.government
    if act.kind not in open_kinds(government):
        return _("This kind of act does not take comments from citizens on its articles.")
    stages = open_stages(government)
    if act.stage not in stages:
        names = ", ".join(str(stage.label).lower() for stage in STAGES if stage.key in stages)
        if not names:
            return _("This act does not take comments from citizens now.")
        return _(
            "Comments are open only while the act is in one of these stages: %(stages)s. It is now in the stage "
            "“%(stage)s”. The comments written stay readable."
        ) % {"stages": names, "stage": act.get_stage_display() or _("no steps yet")}
    return ""


def closes_on(act: Act) -> dt.date | None:
    setting = setting_of(act)
    return setting.closes_on if setting is not None else None
