"""Local demo and development: SQLite by default, uploads served by the app; MINGA_DEBUG=1 for
Django's debug pages."""

from .base import *  # noqa: F403

# Debug pages stay off by default: the demo should look and fail like production.
DEBUG = env_bool("MINGA_DEBUG", False)  # noqa: F405
SERVE_MEDIA = env_bool("MINGA_SERVE_MEDIA", True)  # noqa: F405
