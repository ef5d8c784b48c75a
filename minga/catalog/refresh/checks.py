"""`minga check`: a source database in ``MINGA_SQL_SOURCES`` given to no government is
available to none (the older ``name=URL`` form); say so rather than let it vanish silently."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.compatibility)
def sql_sources_check(app_configs, **kwargs):
    problems = []
    for name, entry in (getattr(settings, "SQL_SOURCES", {}) or {}).items():
        if not isinstance(entry, dict) or not entry.get("governments"):
            problems.append(
                checks.Warning(
                    f"The source database “{name}” is given to no government, so no government can use it.",
                    hint="Name the governments in MINGA_SQL_SOURCES: name@slug,slug=URL (docs/deployment.md).",
                    id="minga.W201",
                )
            )
    return problems
