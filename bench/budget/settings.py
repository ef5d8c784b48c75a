"""The benchmark settings with the anonymous page cache switched off, to measure what the
budget pages cost when they are built for every request."""

from bench.bench_settings import *  # noqa: F403

PUBLIC_PAGE_CACHE_SECONDS = 0
