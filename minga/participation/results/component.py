"""The results section of the public process page: overall progress and how many results are
in each status, with a link to the tree. Shown when the process has published results."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from ..components import ProcessComponent, register
from . import selectors


def section(request, process, now) -> dict | None:
    government = request.government
    tree = selectors.build_tree(government, selectors.public_results(government, process))
    if not tree:
        return None
    return {
        "overall": selectors.overall_progress(tree),
        "counts": [item for item in selectors.status_counts(government, tree) if item[2]],
        "total": len(selectors.flatten(tree)),
    }


COMPONENT = register(
    ProcessComponent(
        key="resultados",
        label=_("Results and follow-up"),
        template="participation/results/section.html",
        context=section,
        order=90,
    )
)
