"""Requests per second of the public works pages (map + list, a project page, the GeoJSON)
as a ratio of a bare Django view, side by side in one run. Reuses bench/run.py: the same
temporary demo database, gunicorn with the demo settings, wrk on loopback, alternating
rounds and medians. Anonymous requests, so the public page cache is part of what is measured,
as it is for citizens; `--no-cache` measures the views themselves (each request renders).

    .venv/bin/python bench/works/run.py --duration 3 --rounds 1   # a smoke run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.portal import Gunicorn, prepare  # noqa: E402
from bench.run import (  # noqa: E402
    BARE,
    BARE_GOV_LABEL,
    BARE_IN_GOVERNMENT,
    BARE_LABEL,
    GOAL,
    RESULTS,
    SETTINGS,
    check_pages,
    machine,
    measure,
    table,
)

# The org chart is the portal's own reference page (bench/run.py measures it too), so a noisy
# machine can be read off: the works pages are compared with it in the same run.
REFERENCE = [("org chart (reference)", "/g/manabi/institucion/organigrama/")]
PAGES = [
    ("works map + list", "/g/manabi/obras/"),
    ("works map filtered", "/g/manabi/obras/?estado=implementation&alerta=sin-actualizacion"),
    ("works project page", "/g/manabi/obras/demo-002/"),
    ("works GeoJSON", "/g/manabi/obras/obras.geojson"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL and round")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up load per URL")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--no-cache", action="store_true", help="turn the public page cache off (render every request)")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: install it (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    report: dict = {"date": dt.date.today().isoformat(), "machine": machine(), "args": vars(args)}
    with tempfile.TemporaryDirectory(prefix="minga-bench-works-") as tmp:
        var_dir = Path(tmp)
        prepare(var_dir, SETTINGS)
        if args.no_cache:
            os.environ["MINGA_PUBLIC_PAGE_CACHE_SECONDS"] = "0"
        targets = [(BARE_LABEL, BARE), (BARE_GOV_LABEL, BARE_IN_GOVERNMENT), *REFERENCE, *PAGES]
        with Gunicorn(var_dir, workers=args.workers, settings=SETTINGS) as server:
            check_pages(server.base_url, targets)
            summary = measure([(label, server.base_url + path) for label, path in targets], args)
    report["pages"] = summary
    title = "Works pages as a ratio of bare Django views" + (" (page cache off)" if args.no_cache else "")
    print()
    print(table(summary, [BARE_LABEL, BARE_GOV_LABEL], title))
    below = [label for label, _ in PAGES if summary[label]["rps"] / summary[BARE_LABEL]["rps"] < GOAL]
    print(f"goal (÷ {BARE_LABEL}) >= {GOAL}: " + ("met" if not below else "NOT met for " + ", ".join(below)))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"bench-works-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nraw figures: {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
