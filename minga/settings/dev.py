"""Local demo and development: SQLite by default, uploads served by the app, e-mails written to
an outbox instead of sent; MINGA_DEBUG=1 for Django's debug pages."""

import os
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

# `minga serve` repeats the demo accounts after its start-up lines and points the links of
# e-mails at the address it serves.
DEVELOPMENT = True
# E-mails are not sent: one .eml file each in var/outbox/, listed at /plataforma/correo/.
EMAIL_BACKEND = os.environ.get("MINGA_EMAIL_BACKEND", "minga.core.mail.OutboxBackend")
# Links in e-mails sent by background jobs (no request to take the address from) point at the
# served address: MINGA_SITE_URL, else the demo's own address (`minga serve` sets both).
SITE_URL = SITE_URL or DEMO_BASE_URL.rstrip("/")  # noqa: F405
if urlsplit(SITE_URL).hostname and urlsplit(SITE_URL).hostname not in PLATFORM_HOSTS:  # noqa: F405
    PLATFORM_HOSTS = [*PLATFORM_HOSTS, urlsplit(SITE_URL).hostname]  # noqa: F405
