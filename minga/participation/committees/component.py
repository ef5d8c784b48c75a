"""The oversight committees section of a process's page: the committees that oversee the
process."""

from django.utils.translation import gettext_lazy as _

from ..components import ProcessComponent, register
from . import selectors
from .registry import PROCESS


def _context(request, process, now):
    committees = list(selectors.overseeing(process.government, PROCESS, process.slug))
    return {"committees": committees} if committees else None


COMPONENT = register(
    ProcessComponent(
        key="veedurias",
        label=_("Citizen oversight committees"),
        template="participation/committees/section.html",
        context=_context,
        order=90,
    )
)
