"""Settings of the catalog benchmarks' portal: the platform benchmarks' settings (the demo
settings, DEBUG off) with the size of the large demo table taken from the environment."""

import os

from bench.bench_settings import *  # noqa: F403

DEMO_LARGE_ROWS = int(os.environ.get("MINGA_BENCH_ROWS", "1000000"))

# One client address (wrk's) would be refused after 120 requests a minute; the rate limit is
# off for the benchmarks, as Datasette has none. Its cost per request is left out (see
# docs/benchmarks.md).
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}  # noqa: F405

# `minga demo --large` also seeds a million contracting processes; the catalog benchmarks
# only need the large table (the contracting search has its own benchmark).
DEMO_LARGE_PROCESSES = int(os.environ.get("MINGA_BENCH_PROCESSES", "1000"))
