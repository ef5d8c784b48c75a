"""What surveys add to the participation module's manifest (apps.py merges it)."""

from django.utils.translation import gettext_lazy as _

from minga.core.registry import VerificationAction
from minga.core.verification.levels import Level

ACTIONS = (
    VerificationAction(
        "participation.survey", _("answer the survey"), default_level=Level.CEDULA, minimum_level=Level.NONE
    ),
)
