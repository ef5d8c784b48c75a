"""Demo settings on PostgreSQL (DATABASE_URL) with the bare insert view beside the portal."""

from bench.bench_settings import *  # noqa: F403

GOVERNMENT_URLCONF = "bench.participation.votes_urls"
