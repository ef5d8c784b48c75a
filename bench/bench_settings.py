"""Settings for the benchmarks: exactly the demo settings (minga.settings.dev; run.py sets
MINGA_DEBUG=0 as the browser journeys do), plus urlconfs that add a bare view to compare with."""

from minga.settings.dev import *  # noqa: F403

DEBUG = False
ROOT_URLCONF = "bench.bench_urls"
GOVERNMENT_URLCONF = "bench.bench_urls_government"
