"""Child process of bench/scale/run.py: adds the country's governments to the benchmark's
database, copying the content of the government named on the command line. Prints one JSON
line: governments in the database, rows written, the new slugs."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402

from bench.scale.clone import copy_content, dpa_plan, make_governments  # noqa: E402
from minga.core.tenancy.models import Government  # noqa: E402


def index_contracting(governments) -> None:
    """The contracting search's word lists of each copy, written by the module's own function
    (they are packed process ids: a copy's cannot be made by shifting the template's)."""
    from django.db import transaction

    from minga.core.tenancy.scoping import government_scope
    from minga.procurement.models import Process

    try:
        from minga.procurement.wordlists import fts_index
    except ImportError:
        from minga.procurement.search import fts_index
    for government in governments:
        with government_scope(government), transaction.atomic():
            fts_index(government, list(Process.objects.values_list("pk", "search_text")))


def main(template_slug: str) -> None:
    template = Government.objects.get(slug=template_slug)
    actor = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    taken = set(Government.objects.values_list("dpa_code", flat=True))
    plan = dpa_plan(taken=taken)
    made = make_governments(actor=actor, plan=plan)
    written = copy_content(template, made, stdout=sys.stderr)
    index_contracting(made)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        json.dumps(
            {
                "governments": Government.objects.count(),
                "provinces": Government.objects.filter(level="province").count(),
                "cantons": Government.objects.filter(level="canton").count(),
                "parishes": Government.objects.filter(level="parish").count(),
                "template": template_slug,
                "rows": sum(written.values()),
                "rows_by_table": written,
                "slugs": [government.slug for government in made],
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])
