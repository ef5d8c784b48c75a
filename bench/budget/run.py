"""The budget pages' requests per second as a ratio of a bare Django view, side by side in one
run (`.venv/bin/python bench/budget/run.py`): the demo portal (two budget years of monthly
cut-offs, about 2,000 lines each, for Manabí) served by gunicorn, measured with wrk against
the bare view on the same server and middleware. Two servers run one after the other: with
the anonymous page cache (as in production) and without it (every request builds the page:
the database sums of about 2,000 lines per cut-off)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
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

UNCACHED_SETTINGS = "bench.budget.settings"
PAGES = [
    ("budget overview", "/g/manabi/presupuesto/"),
    ("where each dollar goes", "/g/manabi/presupuesto/{year}/gastos/"),
    ("monthly curve", "/g/manabi/presupuesto/{year}/curva/"),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per URL and round")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up load per URL")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--year", type=int, default=dt.date.today().year, help="budget year of the demo to load")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk not found: install it (Debian: apt-get install wrk)", file=sys.stderr)
        return 2
    print(f"machine: {machine()}")
    print(
        f"load: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} rounds; workers {args.workers}"
    )
    pages = [(label, path.format(year=args.year)) for label, path in PAGES]
    targets = [(BARE_LABEL, BARE), (BARE_GOV_LABEL, BARE_IN_GOVERNMENT), *pages]
    report: dict = {"date": dt.date.today().isoformat(), "machine": machine(), "args": vars(args), "runs": {}}
    with tempfile.TemporaryDirectory(prefix="minga-bench-budget-") as tmp:
        var_dir = Path(tmp)
        prepare(var_dir, SETTINGS)
        for name, settings in (("page cache on", SETTINGS), ("page cache off", UNCACHED_SETTINGS)):
            print(f"\n{name}:")
            with Gunicorn(var_dir, workers=args.workers, settings=settings) as server:
                check_pages(server.base_url, targets)
                summary = measure([(label, server.base_url + path) for label, path in targets], args)
            report["runs"][name] = summary
            print()
            print(
                table(summary, [BARE_LABEL, BARE_GOV_LABEL], f"Budget pages, {name}, as a ratio of bare Django views")
            )
            below = [label for label, _ in pages if summary[label]["rps"] / summary[BARE_LABEL]["rps"] < GOAL]
            print(f"goal (÷ {BARE_LABEL}) >= {GOAL}: " + ("met" if not below else "NOT met for " + ", ".join(below)))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"budget-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2))
    print(f"\nraw figures: {out.relative_to(REPO)}")
    return 0  # a measurement, not a test


if __name__ == "__main__":
    sys.exit(main())
