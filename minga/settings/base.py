"""Settings shared by every environment. Values that differ per deployment come from the
environment (12-factor), so one build runs the demo, the tests and production."""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from minga.core.audit.keys import development_key
from minga.core.db_routing import replica_databases
from minga.core.storage.config import s3_storage
from minga.core.verification.keys import development_key as identity_development_key

BASE_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = BASE_DIR.parent
VAR_DIR = Path(os.environ.get("MINGA_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("MINGA_SECRET_KEY", "insecure-development-key-change-me-in-production-0123456789")
DEBUG = env_bool("MINGA_DEBUG", False)
# The audit log's HMAC key, "<key id>:<secret>", and older keys that still verify what they
# signed ("<id>:<secret> <id>:<secret>"); docs/deployment.md, "Audit key and checkpoints".
# Demo and development derive a key with the id "dev" from SECRET_KEY; production settings
# refuse to start without a key of its own.
AUDIT_KEY = os.environ.get("MINGA_AUDIT_KEY", "") or development_key(SECRET_KEY)
AUDIT_KEY_FALLBACKS = os.environ.get("MINGA_AUDIT_KEY_FALLBACKS", "").split()
# The key of the cédula hashes (identity verification, core/verification/keys.py): a random
# secret of 32+ characters, kept apart from the database and never changed. Demo and
# development derive one from SECRET_KEY; production settings refuse to start without it.
IDENTITY_KEY = os.environ.get("MINGA_IDENTITY_KEY", "") or identity_development_key(SECRET_KEY)
ALLOWED_HOSTS = env_list("MINGA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rest_framework",
    "drf_spectacular",
    "corsheaders",
    "django_tasks",
    "django_tasks_db",
    "minga.core",
    "minga.institution",
    "minga.catalog",
    "minga.budget",
    # Before works: the demo seeds in this order, and the works' demo links to processes.
    "minga.procurement",
    "minga.works",
    "minga.geo",
    "minga.participation",
    "minga.council",
]

MIDDLEWARE = [
    # First: every request is one unit of work for the read-replica router (core/db_routing.py).
    "minga.core.db_routing.ReplicaRoutingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "minga.core.tenancy.middleware.GovernmentMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "minga.core.tenancy.middleware.GovernmentScopeMiddleware",
    "minga.core.ui.page_cache.PublicPageCacheMiddleware",
]

ROOT_URLCONF = "minga.urls"
# Government pages are served from this urlconf, either under /g/<slug>/ or on the
# government's own host (see core.tenancy.middleware).
GOVERNMENT_URLCONF = "minga.urls_government"
WSGI_APPLICATION = "minga.wsgi.application"
ASGI_APPLICATION = "minga.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "minga.core.ui.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'minga.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers continue while one writer commits; IMMEDIATE avoids "database is locked"
    # when a read transaction later upgrades to a write.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
# PostgreSQL read replicas (docs/deployment.md, "Read replicas"): URLs separated by spaces or
# commas. Reads of requests and jobs that have not written go to one of them; writes,
# transactions and migrations to the primary (core/db_routing.py). Without replicas the router
# has no opinion and everything uses "default".
DATABASES.update(
    replica_databases(os.environ.get("MINGA_DATABASE_REPLICA_URLS", ""), conn_max_age=60, conn_health_checks=True)
)
DATABASE_REPLICAS = [alias for alias in DATABASES if alias != "default"]
DATABASE_ROUTERS = ["minga.core.db_routing.ReplicaRouter"]
# After a request that wrote, the browser reads from the primary for this long (a cookie), and a
# job enqueued less than this long ago reads from the primary from its start: longer than the
# replicas usually lag.
DATABASE_PRIMARY_PIN_SECONDS = int(os.environ.get("MINGA_DATABASE_PRIMARY_PIN_SECONDS", 10))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    # Reads the person with their registered identity; sign-ins go through it.
    "minga.core.accounts.backends.AccountBackend",
    # Kept so that sessions begun before AccountBackend existed stay signed in.
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:profile"
LOGOUT_REDIRECT_URL = "/"

# Login throttling (core.accounts.throttle): attempts allowed per (account, client IP) before
# a lock of LOGIN_FAILURE_WINDOW_SECONDS that doubles with each further failure up to
# LOGIN_LOCK_MAX_SECONDS; failures per client IP over all accounts per window; the owner's
# unlock e-mail (at most one per interval; its link works once, for LOGIN_UNLOCK_MAX_AGE).
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("MINGA_LOGIN_FAILURES_PER_ACCOUNT", 5))
LOGIN_FAILURES_PER_IP = int(os.environ.get("MINGA_LOGIN_FAILURES_PER_IP", 20))
LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("MINGA_LOGIN_FAILURE_WINDOW", 15 * 60))
LOGIN_LOCK_MAX_SECONDS = int(os.environ.get("MINGA_LOGIN_LOCK_MAX", 24 * 3600))
LOGIN_UNLOCK_MAIL_INTERVAL = 15 * 60
LOGIN_UNLOCK_MAX_AGE = 24 * 3600
# Account e-mails (password reset, verification, sign-up notices) per address and kind, and
# per client IP over all addresses, per window.
ACCOUNT_MAILS_PER_ADDRESS = int(os.environ.get("MINGA_ACCOUNT_MAILS_PER_ADDRESS", 3))
ACCOUNT_MAILS_PER_IP = int(os.environ.get("MINGA_ACCOUNT_MAILS_PER_IP", 10))
ACCOUNT_MAIL_WINDOW = 3600
# Citizens' comments (core/comments/) per person: comments, replies and edits per minute and
# per hour, votes per minute, reports per hour.
COMMENTS_PER_MINUTE = int(os.environ.get("MINGA_COMMENTS_PER_MINUTE", 5))
COMMENTS_PER_HOUR = int(os.environ.get("MINGA_COMMENTS_PER_HOUR", 40))
COMMENT_VOTES_PER_MINUTE = int(os.environ.get("MINGA_COMMENT_VOTES_PER_MINUTE", 60))
COMMENT_REPORTS_PER_HOUR = int(os.environ.get("MINGA_COMMENT_REPORTS_PER_HOUR", 20))
EMAIL_VERIFICATION_MAX_AGE = 3 * 24 * 3600
# Identity verification (core/verification/): the census code e-mailed to a person lives
# CENSUS_CODE_MINUTES and takes CENSUS_CODE_ATTEMPTS tries; a person gets CENSUS_CODES_PER_HOUR
# codes per government, and may try CEDULA_CLAIMS_PER_HOUR cédulas an hour. Census files
# are refused above CENSUS_UPLOAD_MAX_BYTES.
CENSUS_CODE_MINUTES = int(os.environ.get("MINGA_CENSUS_CODE_MINUTES", 15))
CENSUS_CODE_ATTEMPTS = int(os.environ.get("MINGA_CENSUS_CODE_ATTEMPTS", 5))
CENSUS_CODES_PER_HOUR = int(os.environ.get("MINGA_CENSUS_CODES_PER_HOUR", 3))
CEDULA_CLAIMS_PER_HOUR = int(os.environ.get("MINGA_CEDULA_CLAIMS_PER_HOUR", 5))
CENSUS_UPLOAD_MAX_BYTES = int(os.environ.get("MINGA_CENSUS_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))
OTP_TOTP_ISSUER = "Minga"

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Guayaquil"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["minga.formats"]
USE_THOUSAND_SEPARATOR = True
FORMS_URLFIELD_ASSUME_HTTPS = True  # the Django 6 behaviour, opted into now

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploaded and generated files on S3-compatible object storage instead of MEDIA_ROOT (the
# `minga[s3]` extra; docs/deployment.md, "S3-compatible storage"). Credentials come from the
# standard AWS variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) or the machine's role.
S3_BUCKET = os.environ.get("MINGA_S3_BUCKET", "").strip()
S3_ENDPOINT_URL = os.environ.get("MINGA_S3_ENDPOINT_URL", "").strip()
S3_REGION = os.environ.get("MINGA_S3_REGION", "").strip()
S3_PUBLIC_URL = os.environ.get("MINGA_S3_PUBLIC_URL", "").strip()
S3_ADDRESSING_STYLE = os.environ.get("MINGA_S3_ADDRESSING_STYLE", "").strip()
# Lifetime of the signed addresses of pictures in pages (longer than the page cache) and of
# the redirects that hand out a download (a download starts at once).
S3_URL_SECONDS = int(os.environ.get("MINGA_S3_URL_SECONDS", 3600))
S3_DOWNLOAD_URL_SECONDS = int(os.environ.get("MINGA_S3_DOWNLOAD_URL_SECONDS", 300))
# Stream downloads through the app instead of redirecting to the bucket (a bucket citizens
# cannot reach, e.g. on an internal network).
S3_STREAM_DOWNLOADS = env_bool("MINGA_S3_STREAM_DOWNLOADS", False)
if S3_BUCKET:
    STORAGES["default"] = s3_storage(
        bucket=S3_BUCKET,
        endpoint_url=S3_ENDPOINT_URL,
        region=S3_REGION,
        public_url=S3_PUBLIC_URL,
        addressing_style=S3_ADDRESSING_STYLE,
        url_seconds=S3_URL_SECONDS,
        max_memory_size=FILE_UPLOAD_MAX_MEMORY_SIZE,
    )
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
IMAGE_UPLOAD_MAX_BYTES = 8 * 1024 * 1024
# Pictures whose header declares more pixels than this (or a longer side) are refused before
# anything is decoded (core/images.py): decoding costs 3-4 bytes a pixel whatever the file
# size. 40 megapixels takes phone photos (12 MP by default) and most cameras' (24-36 MP);
# stored copies are at most 1,600 pixels a side. At the limit a camera JPEG adds about 65 MB
# to a worker while it is resized (decoded at a reduced scale), a PNG 200-350 MB.
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("MINGA_MAX_IMAGE_PIXELS", 40_000_000))
IMAGE_UPLOAD_MAX_SIDE = int(os.environ.get("MINGA_MAX_IMAGE_SIDE", 16_384))
# The open-data datastore keeps loaded tables apart from the application's tables: a
# separate SQLite file in the embedded default, a separate schema (read through a read-only
# role) on PostgreSQL. See minga/datastore/.
DATASTORE_SQLITE_PATH = Path(os.environ.get("MINGA_DATASTORE_SQLITE_PATH", VAR_DIR / "datastore.sqlite3"))
DATASTORE_PG_SCHEMA = os.environ.get("MINGA_DATASTORE_PG_SCHEMA", "datastore")
DATASTORE_PG_READONLY_ROLE = os.environ.get("MINGA_DATASTORE_PG_READONLY_ROLE", "minga_datastore_reader")
# Files at least this large are read and typed by a second process while the loader infers and
# inserts (datastore/parallel.py); -1 keeps every load in one process.
DATASTORE_PARALLEL_MIN_BYTES = int(os.environ.get("MINGA_DATASTORE_PARALLEL_MIN_BYTES", 4 * 1024 * 1024))
# Memory each web process gives the contracting search's per-government structures (filter,
# facet and sort columns, sort orders, kept words' bits; procurement/columns.py): governments
# least recently searched are let go beyond it, and read again at their next search. A
# government with a million processes takes about 54 MB, 150 MB with every sort and 128 words
# kept; the demo's largest (5,200 processes) 0.3 to 0.7 MB (docs/deployment.md).
PROCUREMENT_SEARCH_MEMORY_BYTES = int(os.environ.get("MINGA_PROCUREMENT_SEARCH_MEMORY_MB", 256)) * 1024 * 1024
# Searched words whose matches each kept government holds (a bit per process each).
PROCUREMENT_SEARCH_WORDS_KEPT = int(os.environ.get("MINGA_PROCUREMENT_SEARCH_WORDS_KEPT", 128))
# The bulk OCDS file (every process as one record package) is built whole in memory when the
# catalog reloads it: above this many processes it is not published (the paged search package
# and each process's record stay available).
PROCUREMENT_BULK_OCDS_MAX_PROCESSES = int(os.environ.get("MINGA_PROCUREMENT_BULK_OCDS_MAX_PROCESSES", 100_000))
DATASET_UPLOAD_MAX_BYTES = int(os.environ.get("MINGA_DATASET_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))
# XLSX files are zip archives checked before they are opened (core/xlsx.py): the total size
# their directory declares, each large entry's compression ratio, the parts openpyxl reads
# whole (shared strings, styles), and the cells read. An import may pass lower limits.
XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("MINGA_XLSX_MAX_UNCOMPRESSED_BYTES", 1024 * 1024 * 1024))
XLSX_MAX_RATIO = int(os.environ.get("MINGA_XLSX_MAX_RATIO", 100))
XLSX_MAX_PART_BYTES = int(os.environ.get("MINGA_XLSX_MAX_PART_BYTES", 100 * 1024 * 1024))
XLSX_MAX_CELLS = int(os.environ.get("MINGA_XLSX_MAX_CELLS", 50_000_000))
# Outbound fetches (remote data sources, link checks) refuse internal addresses unless the
# host is listed here (minga.core.outbound). Only this operator's list can open an internal
# host; a government's catalog setting can only narrow the public hosts it fetches from.
OUTBOUND_ALLOWED_HOSTS = env_list("MINGA_OUTBOUND_ALLOWED_HOSTS", "")
OUTBOUND_TIMEOUT_SECONDS = float(os.environ.get("MINGA_OUTBOUND_TIMEOUT", 30))


def parse_sql_sources(value: str) -> dict[str, dict]:
    """``MINGA_SQL_SOURCES``: space-separated ``name@government,government=URL`` entries, e.g.
    "catastro-manta@manta=postgres://lector@10.0.0.5/catastro". The URL is everything after the
    first "="; the names before it are the slugs of the governments given the source. A source
    named without governments ("name=URL") is given to none."""
    sources: dict[str, dict] = {}
    for item in value.split():
        if "=" not in item:
            continue
        key, url = item.split("=", 1)
        name, _at, slugs = key.partition("@")
        if name.strip() and url:
            governments = sorted({slug.strip().lower() for slug in slugs.split(",") if slug.strip()})
            sources[name.strip()] = {"url": url, "governments": governments}
    return sources


# Databases an official may publish query results from, each given by the operator to named
# governments (parse_sql_sources). Queries run read-only (catalog/refresh/sources.py).
SQL_SOURCES = parse_sql_sources(os.environ.get("MINGA_SQL_SOURCES", ""))
# How many earlier versions of each resource keep their data file for download.
CATALOG_SNAPSHOTS_KEPT = int(os.environ.get("MINGA_CATALOG_SNAPSHOTS_KEPT", 20))
# Where the demo portal is reachable from its own worker (the demo's remote data sources).
DEMO_BASE_URL = os.environ.get("MINGA_DEMO_BASE_URL", "http://127.0.0.1:8000")

# Serve uploaded files from the app (demo and development). In production nginx or the
# object store serves MEDIA_URL.
SERVE_MEDIA = env_bool("MINGA_SERVE_MEDIA", False)
# Anonymous public pages are cached this long at most (0 turns the cache off); every
# official change invalidates them at once (core.ui.page_cache).
PUBLIC_PAGE_CACHE_SECONDS = int(os.environ.get("MINGA_PUBLIC_PAGE_CACHE_SECONDS", 60))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL}}
    # Sessions are read from Redis and written through to the database: a signed-in request
    # costs no database read for its session, and a restart of Redis loses none.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Without Redis, a cache on disk is shared by every app process of the machine, so page
    # invalidation and login throttling hold across gunicorn workers.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A worker renews the leases of the jobs it runs every JOB_HEARTBEAT_SECONDS; a job whose lease
# was not renewed for JOB_LEASE_SECONDS counts as abandoned (its process died) and is marked
# failed by the next worker or by the periodic job core.recover_jobs (minga.core.jobs).
JOB_HEARTBEAT_SECONDS = int(os.environ.get("MINGA_JOB_HEARTBEAT_SECONDS", 20))
JOB_LEASE_SECONDS = int(os.environ.get("MINGA_JOB_LEASE_SECONDS", 120))
if JOB_LEASE_SECONDS < 2 * JOB_HEARTBEAT_SECONDS:
    raise ImproperlyConfigured("MINGA_JOB_LEASE_SECONDS must be at least twice MINGA_JOB_HEARTBEAT_SECONDS.")

EMAIL_BACKEND = os.environ.get("MINGA_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("MINGA_EMAIL_FILE_PATH", str(VAR_DIR / "outbox"))  # the development outbox
# Development only (settings.dev): `minga serve` repeats the demo accounts and sets MINGA_SITE_URL.
DEVELOPMENT = False
DEFAULT_FROM_EMAIL = os.environ.get("MINGA_FROM_EMAIL", "Minga <no-reply@minga.local>")
# Where the portal is reached, for links in e-mails sent by background jobs (no request to
# take the address from). Governments with their own host use that host instead.
SITE_URL = os.environ.get("MINGA_SITE_URL", "").rstrip("/")
# The platform's own host names: the list of governments, the /g/<slug>/ portals and
# /plataforma/ live there. No government may claim one of them, or a name under one
# (x.<platform host>), and a request for them is never taken for a government's own host.
PLATFORM_HOSTS = env_list("MINGA_PLATFORM_HOSTS", "127.0.0.1,localhost")
if SITE_URL and urlsplit(SITE_URL).hostname:
    PLATFORM_HOSTS.append(urlsplit(SITE_URL).hostname)

# Security baseline: strict CSP without unsafe-inline; every script and style is a file.
SESSION_COOKIE_HTTPONLY = True
# The language cookie is read by the server only; production also marks it Secure.
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses are switched off for the portal and anything it embeds
# (django-permissions-policy). No page asks for the position (the works and the geovisor take
# it from the photo or the official's input), so geolocation is off too; copying to the
# clipboard (catalog's "copy" buttons) keeps the browser's default.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "clipboard-read",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "window-management",
        "xr-spatial-tracking",
    )
}
# Base map of every interactive map (docs/deployment.md, "Base map"): one PMTiles file of vector
# tiles, a path on this site (/media/basemap/ecuador.pmtiles) or an https:// address read with
# range requests. Empty: maps draw the fallback (Ecuador's outline, places and the government's
# published boundaries) from data the installed packages ship.
BASEMAP_PMTILES_URL = os.environ.get("MINGA_BASEMAP_PMTILES_URL", "").strip()
BASEMAP_ATTRIBUTION = os.environ.get("MINGA_BASEMAP_ATTRIBUTION", "© OpenStreetMap contributors · Protomaps").strip()
_basemap_parts = urlsplit(BASEMAP_PMTILES_URL)
_basemap_origin = (
    [f"https://{_basemap_parts.netloc}"] if _basemap_parts.scheme == "https" and _basemap_parts.netloc else []
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'", *_basemap_origin],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "minga.core.api.authentication.GovernmentTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["minga.core.api.permissions.DeclaredPermission"],
    "DEFAULT_PAGINATION_CLASS": "minga.core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "minga.core.api.throttling.AnonThrottle",
        "minga.core.api.throttling.UserThrottle",
    ],
    "EXCEPTION_HANDLER": "minga.core.api.exceptions.exception_handler",
    # Number of trusted reverse proxies in front of the app (nginx: 1). Without it the
    # X-Forwarded-For header is ignored so that clients cannot forge their address.
    "NUM_PROXIES": int(os.environ["MINGA_NUM_PROXIES"]) if os.environ.get("MINGA_NUM_PROXIES") else None,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("MINGA_API_ANON_RATE", "120/min"),
        "user": os.environ.get("MINGA_API_USER_RATE", "600/min"),
    },
    "DEFAULT_RENDERER_CLASSES": ["minga.core.api.renderers.JSONRenderer"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minga API",
    "DESCRIPTION": "Public and official API of a Minga government portal.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    # Named here so that a module's new choice field never renames another module's enum.
    "ENUM_NAME_OVERRIDES": {
        "ResourceKindEnum": "minga.catalog.datasets.models.Resource.Kind",
        "ResourceFormatEnum": "minga.catalog.datasets.models.ResourceFormat",
        "KindEnum": "minga.institution.models.Unit.Kind",
        "ProcessKindEnum": "minga.participation.processes.models.Process.Kind",
    },
}
# Public API endpoints may be read from any origin; nothing else crosses origins.
CORS_URLS_REGEX = r"^(/g/[-\w]+)?/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("MINGA_LOG_LEVEL", "INFO")},
    "loggers": {"django.security.csp": {"level": "ERROR"}},
}

# Where the platform home and notification links point when there is no request.
PLATFORM_NAME = os.environ.get("MINGA_PLATFORM_NAME", "Minga")
