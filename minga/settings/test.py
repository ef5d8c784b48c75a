"""Test settings: fast hashing and in-memory mail; everything else as in production."""

import atexit
import shutil
import tempfile
from pathlib import Path

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
# Modules publish their tables into the catalog's datastore from any test (a geovisor layer, a
# budget year): never into the checkout's var/ (the demo portal's store), and never into a file
# another test process writes too. Tests that need a store of their own set a path per test.
_TEST_DATASTORE_DIR = Path(tempfile.mkdtemp(prefix="minga-test-datastore-"))
atexit.register(shutil.rmtree, _TEST_DATASTORE_DIR, ignore_errors=True)
DATASTORE_SQLITE_PATH = _TEST_DATASTORE_DIR / "datastore.sqlite3"
# A second alias that mirrors the test database, for the read-replica tests: they turn the
# router on with override_settings(DATABASE_REPLICAS=["replica"]); every other test reads and
# writes "default" only.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DATABASE_REPLICAS = []
