from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "minga.core"
    label = "core"
    verbose_name = _("Platform core")

    def ready(self) -> None:
        from . import permissions  # noqa: F401  (registers the rules)
        from .audit import checks  # noqa: F401  (registers the deploy check of the audit key)
        from .db_routing import connect_job_signals
        from .search import registry  # noqa: F401
        from .storage import checks as storage_checks  # noqa: F401  (deploy check of the S3 settings)
        from .ui import basemap  # noqa: F401  (check of the base map's PMTiles setting)
        from .verification import checks as identity_checks  # noqa: F401  (deploy check of the identity key)

        connect_job_signals()
