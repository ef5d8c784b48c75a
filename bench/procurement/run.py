"""The contracting benchmarks, side by side with their peers in one run:

1. import: OCDS releases (SERCOP-shaped release package) compiled into searchable processes,
   Minga on SQLite and PostgreSQL (releases per second, and a re-import that must change
   nothing), against `ocdskit compile` on the same file (given the release schema as a file:
   without it ocdskit downloads the schema and fails offline);
2. search: contracting search over N processes, full text + 3 filters + facet counts, server
   time per request (p50/p95, at the client on loopback, one request at a time, page cache
   off) of Minga's API and page on SQLite and PostgreSQL, against Datasette's full-text
   search with the same facets over the same rows; and each search's first request in a
   fresh web process (before its words' matches are kept in memory).

    .venv/bin/python bench/procurement/run.py --processes 1000000 --import-processes 5000

Peers are installed pinned into var/bench-procurement-peers; data and scratch databases live
in var/bench-procurement; the figures are printed and written to bench/results/."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.catalog.common import child_env, ensure_pg_database, environ, run_child  # noqa: E402
from bench.catalog.query import Datasette  # noqa: E402
from bench.portal import Gunicorn  # noqa: E402
from bench.procurement import peers  # noqa: E402
from bench.procurement.child import SLUG  # noqa: E402
from bench.run import RESULTS, machine  # noqa: E402

WORK = REPO / "var" / "bench-procurement"
SCHEMA = Path(__file__).with_name("release-schema.json")
SETTINGS = "bench.procurement.settings"
# Overridable so that two work trees benchmarking at once do not share (and wipe) one database.
PG_URL = os.environ.get("MINGA_BENCH_PROCUREMENT_PG_URL", "postgres://postgres@127.0.0.1:5432/minga_bench_procurement")
# The search part keeps its million processes in a database of its own: the import part starts
# each run by forgetting the benchmark government's processes.
SEARCH_PG_URL = os.environ.get("MINGA_BENCH_PROCUREMENT_SEARCH_PG_URL", PG_URL + "_search")
PARTS = ("import", "search")
# (label, Minga query, Datasette query): the same words, filters and facets on both.
QUERIES = [
    ("text + facets", {"q": "mantenimiento"}, {"_search": "mantenimiento"}),
    (
        "text + 3 filters + facets",
        {"q": "mantenimiento", "procedimiento": "subasta-inversa", "estado": "contract", "anio": "2025"},
        {"_search": "mantenimiento", "procedure": "subasta-inversa", "stage": "contract", "year": "2025"},
    ),
    (
        "2 words + 3 filters + facets",
        {"q": "papel bond", "procedimiento": "infima-cuantia", "estado": "contract", "anio": "2024"},
        {"_search": "papel bond", "procedure": "infima-cuantia", "stage": "contract", "year": "2024"},
    ),
]
DATASETTE_FACETS = [("_facet", "procedure"), ("_facet", "stage"), ("_facet", "year"), ("_facet", "buyer")]


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def timed(url: str, requests: int) -> list[float]:
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        with urllib.request.urlopen(url, timeout=120) as response:
            response.read()
        times.append((time.perf_counter() - started) * 1000)
    return times


def _summary(url: str, requests: int) -> dict:
    timed(url, max(3, requests // 10))
    times = timed(url, requests)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


# Import -----------------------------------------------------------------------------------------


def releases_file(processes: int) -> Path:
    from minga.procurement.demo_data import DemoContracting, release_package

    path = WORK / f"releases-{processes}.json"
    if not path.exists():
        generator = DemoContracting(government_name="Gobierno Provincial de prueba", dpa_code="13", seed=2026)
        releases = [release for process in generator.processes(processes) for release in process]
        package = release_package(
            releases, published=dt.datetime(2026, 1, 5, 8), uri="https://demo.minga.invalid/bench.json"
        )
        path.write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    return path


def _engine_env(engine: str, var_dir: Path, *, pg_url: str = PG_URL) -> dict[str, str]:
    env = child_env(var_dir)
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    if engine == "postgresql":
        env["MINGA_BENCH_DATABASE_URL"] = pg_url
    return env


def run_import(processes: int, engines: list[str], bin_dir: Path) -> dict:
    path = releases_file(processes)
    releases = len(json.loads(path.read_text(encoding="utf-8"))["releases"])
    results: dict = {"releases_in_file": releases, "processes": processes, "minga": {}}
    for engine in engines:
        var_dir = WORK / f"import-{engine}"
        shutil.rmtree(var_dir, ignore_errors=True)
        var_dir.mkdir(parents=True)
        print(f"  Minga import on {engine} …", flush=True)
        results["minga"][engine] = run_child(
            "bench.procurement.child", ["import", str(path)], _engine_env(engine, var_dir)
        )
        print(f"    {results['minga'][engine]}", flush=True)
    print("  ocdskit compile …", flush=True)
    started = time.monotonic()
    with path.open("rb") as source:
        done = subprocess.run(
            [str(bin_dir / "ocdskit"), "compile", "--schema", str(SCHEMA)],
            stdin=source,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise RuntimeError(f"ocdskit compile failed: {done.stderr.decode()[-2000:]}")
    results["ocdskit"] = {"seconds": round(seconds, 2), "releases_per_second": round(releases / seconds, 1)}
    print(f"    {results['ocdskit']}", flush=True)
    return results


# Search -----------------------------------------------------------------------------------------


def populate(engine: str, processes: int) -> Path:
    var_dir = WORK / f"search-{engine}-{processes}"
    var_dir.mkdir(parents=True, exist_ok=True)
    stamp = var_dir / ".ready"
    if not stamp.exists():
        print(f"  loading {processes:,} processes into Minga on {engine} …", flush=True)
        info = run_child(
            "bench.procurement.child",
            ["populate", str(processes)],
            _engine_env(engine, var_dir, pg_url=SEARCH_PG_URL),
            timeout=6 * 3600,
        )
        subprocess.run(
            [sys.executable, "-m", "minga.cli", "collectstatic", "--noinput"],
            cwd=REPO,
            env=_engine_env(engine, var_dir, pg_url=SEARCH_PG_URL),
            check=True,
            capture_output=True,
        )
        stamp.write_text(json.dumps(info))
    return var_dir


PROCESS_ROWS = (
    "SELECT p.id, p.ocid, p.title, p.description, p.supplier_names, t.code, p.stage, "
    "p.year, b.name, CAST(p.amount AS REAL), p.date FROM {prefix}procurement_process p "
    "LEFT JOIN {prefix}procurement_proceduretype t ON t.id = p.procedure_id "
    "LEFT JOIN {prefix}procurement_buyer b ON b.id = p.buyer_id"
)


def _copy_from_postgresql(conn: sqlite3.Connection) -> None:
    import psycopg

    with psycopg.connect(SEARCH_PG_URL) as pg, pg.cursor(name="datasette_copy") as cursor:
        cursor.itersize = 20_000
        cursor.execute(PROCESS_ROWS.format(prefix="").replace("CAST(p.amount AS REAL)", "p.amount::float8"))
        while rows := cursor.fetchmany(20_000):
            conn.executemany("INSERT INTO processes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)


def datasette_db(var_dirs: dict[str, Path], bin_dir: Path) -> Path:
    """The same processes in a plain table for Datasette, with sqlite-utils' FTS5 index over
    the text Minga searches (title, description, suppliers) and indexes on the facets. Copied
    from Minga's SQLite database when that engine was loaded, else from PostgreSQL's (the
    same processes either way, so every side finds the same totals)."""
    source = var_dirs.get("sqlite") or var_dirs["postgresql"]
    path = source / "datasette.db"
    if path.exists():
        return path
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    conn = sqlite3.connect(partial)
    try:
        conn.execute(
            "CREATE TABLE processes (id INTEGER PRIMARY KEY, ocid TEXT, title TEXT, description TEXT, "
            "suppliers TEXT, procedure TEXT, stage TEXT, year INTEGER, buyer TEXT, amount REAL, date TEXT)"
        )
        if "sqlite" in var_dirs:
            conn.execute("ATTACH DATABASE ? AS minga", [str(source / "minga.sqlite3")])
            conn.execute("INSERT INTO processes " + PROCESS_ROWS.format(prefix="minga."))
        else:
            _copy_from_postgresql(conn)
        conn.commit()
        for column in ("procedure", "stage", "year", "buyer", "date"):
            conn.execute(f"CREATE INDEX processes_{column} ON processes ({column})")
        conn.commit()
    finally:
        conn.close()
    subprocess.run(
        [
            str(bin_dir / "sqlite-utils"),
            "enable-fts",
            str(partial),
            "processes",
            "title",
            "description",
            "suppliers",
            "--fts5",
        ],
        check=True,
    )
    partial.replace(path)
    return path


def minga_urls(base: str, query: dict) -> dict[str, str]:
    encoded = urllib.parse.urlencode(query)
    return {
        "api": f"{base}/g/{SLUG}/api/v1/contratacion/procesos/?{encoded}",
        "page": f"{base}/g/{SLUG}/contratacion/?{encoded}",
    }


def datasette_url(base: str, query: dict) -> str:
    params = list(query.items()) + DATASETTE_FACETS + [("_size", "25"), ("_sort_desc", "date")]
    return f"{base}/datasette/processes.json?{urllib.parse.urlencode(params)}"


def _server_env(engine: str) -> dict[str, str]:
    extra = {"MINGA_PUBLIC_PAGE_CACHE_SECONDS": "0"}
    if engine == "postgresql":
        extra["MINGA_BENCH_DATABASE_URL"] = SEARCH_PG_URL
    return extra


def first_searches(engine: str, var_dir: Path) -> dict[str, float]:
    """Each query's first request (ms) in a fresh web process whose filter columns are already
    read: what a search costs before its words' matches are kept. One worker, so the request
    that reads the columns and the timed ones meet the same process."""
    with environ(**_server_env(engine)):
        server = Gunicorn(var_dir, workers=1, settings=SETTINGS, ready_path=f"/g/{SLUG}/contratacion/")
        server.start(timeout=120)
    try:
        timed(f"{server.base_url}/g/{SLUG}/api/v1/contratacion/procesos/?facetas=0", 1)  # reads the columns
        return {
            label: round(timed(minga_urls(server.base_url, query)["api"], 1)[0], 1) for label, query, _ds in QUERIES
        }
    finally:
        server.stop()


def run_search(processes: int, engines: list[str], bin_dir: Path, requests: int, workers: int) -> dict:
    results: dict = {"processes": processes, "requests": requests, "queries": {q[0]: {} for q in QUERIES}}
    var_dirs = {engine: populate(engine, processes) for engine in engines}
    results["first_ms"] = {}
    for engine in engines:
        results["first_ms"][engine] = first = first_searches(engine, var_dirs[engine])
        for label, ms in first.items():
            print(
                f"    {label:<30} Minga api  {engine:<10} first request (words not yet kept) {ms:7.1f} ms", flush=True
            )
        with environ(**_server_env(engine)):
            server = Gunicorn(
                var_dirs[engine], workers=workers, settings=SETTINGS, ready_path=f"/g/{SLUG}/contratacion/"
            )
            server.start(timeout=120)
        try:
            for label, query, _ds in QUERIES:
                for kind, url in minga_urls(server.base_url, query).items():
                    found = _summary(url, requests)
                    results["queries"][label][f"Minga {kind} ({engine})"] = found
                    print(
                        f"    {label:<30} Minga {kind:<4} {engine:<10} p50 {found['p50_ms']:7.1f} ms  p95 {found['p95_ms']:7.1f} ms",
                        flush=True,
                    )
        finally:
            server.stop()
    if var_dirs:
        db = datasette_db(var_dirs, bin_dir)
        with Datasette(bin_dir, db, immutable=True, log=WORK / "datasette.log") as datasette:
            for label, _query, ds_query in QUERIES:
                url = datasette_url(datasette.base_url, ds_query)
                found = _summary(url, requests)
                with urllib.request.urlopen(url, timeout=120) as response:
                    found["rows"] = json.loads(response.read()).get("filtered_table_rows_count")
                results["queries"][label]["Datasette (FTS5 + facets)"] = found
                print(
                    f"    {label:<30} Datasette            p50 {found['p50_ms']:7.1f} ms  p95 {found['p95_ms']:7.1f} ms",
                    flush=True,
                )
    return results


def table(search: dict) -> str:
    lines = [f"Contracting search over {search['processes']:,} processes, {search['requests']} requests per URL"]
    for label, rows in search["queries"].items():
        lines.append(f"  {label}")
        peer = rows.get("Datasette (FTS5 + facets)", {}).get("p95_ms")
        for name, found in rows.items():
            ratio = f"  Datasette/this p95 {peer / found['p95_ms']:.2f}×" if peer and "Minga" in name else ""
            lines.append(f"    {name:<32} p50 {found['p50_ms']:8.1f} ms  p95 {found['p95_ms']:8.1f} ms{ratio}")
    for engine, first in search.get("first_ms", {}).items():
        lines.append(
            f"  first request of each search, API, {engine}: " + ", ".join(f"{ms:.0f} ms" for ms in first.values())
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(PARTS), help=f"comma-separated parts: {', '.join(PARTS)}")
    parser.add_argument("--processes", type=int, default=1_000_000, help="processes for the search part")
    parser.add_argument("--import-processes", type=int, default=5_000, help="processes (≈4 releases each) to import")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--requests", type=int, default=100, help="timed requests per URL")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    args = parser.parse_args()
    parts = [part for part in args.only.split(",") if part]
    engines = [engine for engine in args.engines.split(",") if engine]
    if "postgresql" in engines and not (ensure_pg_database(PG_URL) and ensure_pg_database(SEARCH_PG_URL)):
        print("PostgreSQL does not answer: running on SQLite only", file=sys.stderr)
        engines.remove("postgresql")
    WORK.mkdir(parents=True, exist_ok=True)
    bin_dir = peers.ensure()
    report: dict = {
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "args": vars(args),
        "peers": {
            "datasette": peers.package_version(bin_dir, "datasette"),
            "sqlite-utils": peers.package_version(bin_dir, "sqlite-utils"),
            "ocdskit": peers.package_version(bin_dir, "ocdskit"),
        },
    }
    print(f"machine: {report['machine']}\npeers: {report['peers']}", flush=True)
    if "import" in parts:
        report["import"] = run_import(args.import_processes, engines, bin_dir)
        imported = report["import"]
        for engine, found in imported["minga"].items():
            ratio = found["releases_per_second"] / imported["ocdskit"]["releases_per_second"]
            print(f"  import {engine}: {found['releases_per_second']:,.0f} releases/s ({ratio:.2f}× ocdskit compile)")
    if "search" in parts:
        report["search"] = run_search(args.processes, engines, bin_dir, args.requests, args.workers)
        print(table(report["search"]))
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"procurement-{report['date']}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
