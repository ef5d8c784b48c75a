"""Local demo and development: SQLite by default, uploads served by the app; MINGA_DEBUG=1 for
Django's debug pages."""

from urllib.parse import urlsplit

from .base import *  # noqa: F403

# Debug pages stay off by default: the demo should look and fail like production.
DEBUG = env_bool("MINGA_DEBUG", False)  # noqa: F405
SERVE_MEDIA = env_bool("MINGA_SERVE_MEDIA", True)  # noqa: F405
# The demo's remote sources are served by the demo itself (catalog/demo_sources.py), usually on
# an internal address: the operator's list, the only one that opens such a host, names it here.
_demo_host = urlsplit(DEMO_BASE_URL).hostname  # noqa: F405
if _demo_host and _demo_host not in OUTBOUND_ALLOWED_HOSTS:  # noqa: F405
    OUTBOUND_ALLOWED_HOSTS = [*OUTBOUND_ALLOWED_HOSTS, _demo_host]  # noqa: F405
