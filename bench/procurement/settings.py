"""Settings of the contracting benchmarks' portal: the platform benchmarks' settings (the demo
settings, DEBUG off), on the PostgreSQL database named by MINGA_BENCH_DATABASE_URL when set
(the portal helpers drop DATABASE_URL from the children's environment on purpose)."""

import os

import dj_database_url

from bench.bench_settings import *  # noqa: F403

if os.environ.get("MINGA_BENCH_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["MINGA_BENCH_DATABASE_URL"], conn_max_age=60)}

# One client address would soon be refused by the API's rate limit; Datasette has none.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}  # noqa: F405
