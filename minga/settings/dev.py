"""Local demo and development: SQLite by default, debug on, everything on 127.0.0.1."""

from .base import *  # noqa: F403

DEBUG = env_bool("MINGA_DEBUG", True)  # noqa: F405
SERVE_MEDIA = env_bool("MINGA_SERVE_MEDIA", True)  # noqa: F405
