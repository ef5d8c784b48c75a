"""The catalog benchmarks, side by side with their peers in one run (`make bench-catalog`):

1. ingest: the generated 1,000,000-row, 15-column Spanish-format CSV to a queryable table,
   Minga on SQLite and on PostgreSQL against `sqlite-utils insert --csv` (+ the same indexes);
2. query API under load (wrk, 16 connections): a filtered sorted 100-row page and a group-by
   aggregate, Minga against Datasette (default and best configuration) on the same rows;
3. catalog search with 10,000 datasets: server time (p50/p95) of /datos/?q=… and the ratio to
   a bare Django view on the same server.

Peers are installed pinned into var/bench-peers; data and scratch databases live in
var/bench-catalog; the figures are printed and written to bench/results/catalog-*.json."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.catalog import common, ingest, peers, query  # noqa: E402
from bench.run import RESULTS, machine, measure  # noqa: E402

PARTS = ("ingest", "query", "search")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the generated table")
    parser.add_argument("--engines", default="sqlite,postgresql", help="Minga's engines for the ingest part")
    parser.add_argument("--duration", type=int, default=30, help="seconds of wrk load per URL and round")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of warm-up load per URL")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--datasets", type=int, default=10_000, help="datasets for the search part")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per search URL")
    args = parser.parse_args()
    parts = [part for part in args.only.split(",") if part]
    if "query" in parts and shutil.which("wrk") is None:
        print("wrk not found: install it (Debian: apt-get install wrk)", file=sys.stderr)
        return 2

    common.WORK.mkdir(parents=True, exist_ok=True)
    bin_dir = peers.ensure()
    report: dict = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "args": vars(args),
        "peers": {tool: peers.version(bin_dir, tool) for tool in ("sqlite-utils", "datasette")},
    }
    print(f"machine: {report['machine']}")
    print(f"peers: {report['peers']}")
    outputs = []

    if "ingest" in parts:
        csv_path = common.large_csv(args.rows)
        print(f"\ningest: {csv_path.name} ({csv_path.stat().st_size / 1e6:.0f} MB, {args.rows} rows)")
        report["ingest"] = ingest.run(csv_path, bin_dir=bin_dir, engines=args.engines.split(","))
        outputs.append(f"Ingest, {args.rows} rows × 15 columns\n\n" + ingest.table(report["ingest"]))
        print("\n" + outputs[-1])

    if "query" in parts:
        print(f"\nquery API: wrk -t{args.threads} -c{args.connections} -d{args.duration}s, {args.rounds} round(s)")
        report["query"] = query.run(args.rows, bin_dir=bin_dir, args=args, measure=measure, workers=args.workers)
        for name, title in (("page", "Filtered, sorted 100-row page"), ("group", "Group-by aggregate")):
            summary = report["query"][name]
            outputs.append(query.table(summary, f"Query API: {title}"))
            print("\n" + outputs[-1])

    if "search" in parts:
        from bench.catalog import search

        print(f"\ncatalog search: {args.datasets} datasets")
        report["search"] = search.run(args.datasets, requests=args.requests, workers=args.workers, rows=args.rows)
        outputs.append(search.table(report["search"]))
        print("\n" + outputs[-1])

    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"catalog-{dt.datetime.now():%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"\nraw figures: {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
