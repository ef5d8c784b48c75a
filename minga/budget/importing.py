"""Publishing a cédula with its progress record (core/progress): the back office shows the
phase (checking the file again, storing the lines), the lines stored of how many and the time
left, and a refused publication says why and that the figures published before stayed live."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress

from . import services
from .models import BudgetImport

KIND = "budget.cedula_publish"
PHASES = {
    "checking": gettext_noop("Checking every row of the file again"),
    "storing": gettext_noop("Storing the budget lines"),
}
LINES = gettext_noop("lines")


def kept_live() -> str:
    return _("Nothing changed: the budget figures published before stay live.")


def publish_tracked(*, actor, government, budget_import: BudgetImport, **options):
    """``services.import_publish`` with a progress record on the import; raises what it raises."""
    tracker = progress.start(
        government=government,
        kind=KIND,
        module="budget",
        title=budget_import.filename,
        obj=budget_import,
        unit=LINES,
        labels=PHASES,
    )
    try:
        cutoff = services.import_publish(
            actor=actor, government=government, budget_import=budget_import, progress=tracker, **options
        )
    except ValidationError as refused:
        tracker.fail(" ".join(refused.messages), kept_live())
        raise
    except Exception as error:
        tracker.fail(_("The publication stopped with an error: %(error)s") % {"error": error}, kept_live())
        raise
    tracker.finish()
    return cutoff


def latest_progress(budget_import: BudgetImport):
    return progress_selectors.latest_for(government=budget_import.government_id, obj=budget_import)
