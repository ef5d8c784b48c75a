"""The demo settings of the benchmarks, with the cache in Redis when MINGA_BENCH_REDIS_URL is
set (as in production: the counters of every gunicorn worker in one place)."""

import os

from bench.bench_settings import *  # noqa: F403

if os.environ.get("MINGA_BENCH_REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": os.environ["MINGA_BENCH_REDIS_URL"]}}
