"""Production: PostgreSQL, Redis, HTTPS behind nginx. Every secret comes from the environment."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = os.environ.get("MINGA_SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("MINGA_SECRET_KEY must be set to a random value of 50+ characters.")
AUDIT_KEY = os.environ.get("MINGA_AUDIT_KEY", "")
if not AUDIT_KEY:
    raise ImproperlyConfigured(
        "MINGA_AUDIT_KEY must be set ('<key id>:<secret>', a random secret of 32+ characters): it signs the audit log."
    )
IDENTITY_KEY = os.environ.get("MINGA_IDENTITY_KEY", "")
if not IDENTITY_KEY:
    raise ImproperlyConfigured(
        "MINGA_IDENTITY_KEY must be set (a random secret of 32+ characters, never changed): it hashes the cédulas."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("MINGA_SSL_REDIRECT", True)  # noqa: F405
SECURE_HSTS_SECONDS = int(os.environ.get("MINGA_HSTS_SECONDS", 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
CSRF_TRUSTED_ORIGINS = env_list("MINGA_CSRF_TRUSTED_ORIGINS")  # noqa: F405
EMAIL_BACKEND = os.environ.get("MINGA_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# MINGA_S3_BUCKET (uploads on S3-compatible storage) is read by base.py for every environment.
