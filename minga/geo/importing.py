"""A new version of a layer imported with its progress record (core/progress): the back
office shows the phase (reading, storing), the features stored of how many and the time left,
and a refused or failed import says why and that the version before stayed live."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from minga.core.progress import selectors as progress_selectors
from minga.core.progress import services as progress

from . import services
from .models import Layer

KIND = "geo.layer_import"
PHASES = {
    "reading": gettext_noop("Reading and checking the file"),
    "storing": gettext_noop("Storing features"),
}
FEATURES = gettext_noop("features")


def kept_live(layer: Layer) -> str:
    return _("Version %(version)s of the layer, with %(count)s features, stays live.") % {
        "version": layer.version,
        "count": layer.feature_count,
    }


def layer_import_tracked(*, actor, government, layer: Layer, file_name: str, data: bytes, **options):
    """``services.layer_import`` with a progress record on the layer; raises what it raises."""
    tracker = progress.start(
        government=government,
        kind=KIND,
        module="geo",
        title=file_name,
        obj=layer,
        unit=FEATURES,
        labels=PHASES,
    )
    try:
        report = services.layer_import(
            actor=actor, government=government, layer=layer, file_name=file_name, data=data, progress=tracker, **options
        )
    except services.ImportRefused as refused:
        reasons = [_problem_text(problem) for problem in refused.report.problems[:3]]
        more = len(refused.report.problems) - len(reasons)
        if more > 0:
            reasons.append(
                ngettext("And %(count)s more problem.", "And %(count)s more problems.", more) % {"count": more}
            )
        tracker.fail("\n".join(reasons), kept_live(layer))
        raise
    except Exception as error:
        tracker.fail(_("The import stopped with an error: %(error)s") % {"error": error}, kept_live(layer))
        raise
    tracker.finish()
    return report


def _problem_text(problem) -> str:
    if problem.number:
        return _("Feature %(number)s: %(message)s") % {"number": problem.number, "message": problem.message}
    return str(problem.message)


def latest_progress(layer: Layer):
    return progress_selectors.latest_for(government=layer.government_id, obj=layer)
