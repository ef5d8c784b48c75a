"""Test settings: fast hashing and in-memory mail; everything else as in production."""

from .base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
WHITENOISE_AUTOREFRESH = True
# Tests see every change at once; the page cache has its own tests that turn it on.
PUBLIC_PAGE_CACHE_SECONDS = 0
# `minga demo --large` in the tests: small enough to run in seconds (the modules' defaults
# are the benchmark sizes, 1,000,000 rows or processes).
DEMO_LARGE_PROCESSES = 300
