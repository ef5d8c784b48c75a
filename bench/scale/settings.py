"""Settings of the scale benchmark's portal: the platform benchmarks' settings (the demo
settings, DEBUG off) on the PostgreSQL database named by MINGA_BENCH_DATABASE_URL (the portal
helpers drop DATABASE_URL from the children's environment on purpose) and, as a deployment for
many governments runs (docs/deployment.md), the cache in Redis (MINGA_BENCH_REDIS_URL) rather
than in files on the app server's disk."""

import os

import dj_database_url

from bench.bench_settings import *  # noqa: F403

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("MINGA_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/minga_bench_scale"),
        conn_max_age=60,
    )
}

# One client address would soon be refused by the API's rate limit.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}  # noqa: F405

if os.environ.get("MINGA_BENCH_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["MINGA_BENCH_REDIS_URL"]}}
