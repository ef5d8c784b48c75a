"""An OCDS import with its progress record (core/progress): the back office shows the phase
(validate, store, flags), the releases done of the total and the time left while it runs, and a
failed one says why and that the data published before stayed live. The back office's upload,
the `procurement_import` command and the demo all import through here."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress
from minga.core.progress.terminal import both

from . import services
from .models import ImportRun

KIND = "procurement.import"
PHASES = {
    "validate": gettext_noop("Validating releases"),
    "store": gettext_noop("Compiling and storing releases"),
    "flags": gettext_noop("Computing red flags across processes"),
}
RELEASES = gettext_noop("releases")


def kept_live() -> str:
    return _("Nothing changed: the contracting data published before this file stays live.")


def import_tracked(*, actor, government, filename: str, raw: bytes, now=None, terminal=None, **options) -> ImportRun:
    """``services.import_file`` with a progress record; ``terminal`` is a command's
    ``TerminalProgress`` (or any progress callback) that hears the same phases."""
    tracker = progress.start(
        government=government,
        kind=KIND,
        module="procurement",
        title=filename,
        key=hashlib.sha256(raw).hexdigest(),
        unit=RELEASES,
        labels=PHASES,
        now=now,
    )
    try:
        run = services.import_file(
            actor=actor,
            government=government,
            filename=filename,
            raw=raw,
            now=now,
            progress=both(tracker, terminal),
            **options,
        )
    except Exception as error:
        tracker.fail(_("The import stopped with an error: %(error)s") % {"error": error}, kept_live())
        raise
    if run.status == ImportRun.Status.FAILED:
        reasons = "\n".join(problem["message"] for problem in run.problems[:3])
        tracker.fail(reasons or _("The file could not be read as OCDS."), kept_live(), obj=run)
    else:
        tracker.finish(obj=run)
    return run


def progress_of(run: ImportRun):
    """The progress record of an import run (None for runs older than progress records)."""
    return progress_selectors.latest_for(government=run.government_id, obj=run)


def running_imports(government) -> list:
    return progress_selectors.running(government=government, kind=KIND)
