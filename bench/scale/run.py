"""One deployment for every GAD of Ecuador: public pages, the catalog search and the contracting
search with the three demo governments alone, then with about 1,045 governments in the same
database, side by side in one run; the p95 ratio of each group and the memory of each app
process. PostgreSQL only. Run with

    .venv/bin/python bench/scale/run.py

Steps, all in one run on loopback:

1. A fresh PostgreSQL database (MINGA_BENCH_DATABASE_URL, default minga_bench_scale, dropped
   and created), `minga migrate`, `minga demo`, `minga collectstatic`.
2. Round A: gunicorn (sync workers, the server of `minga serve`) serves it with the page cache
   off, so every request renders (the cache would otherwise answer most public pages and hide
   what more governments cost). Each group of URLs is requested `--requests` times in a shuffled
   order by `--concurrency` keep-alive clients; latencies are measured per request.
3. About 1,042 governments are added (bench/scale/clone.py): 24 provinces, 221 cantons, about
   800 parishes, each with a copy of one demo canton's content, then ANALYZE.
4. Round B: a fresh gunicorn, the same groups for the demo governments, plus the same kinds of
   page on a sample of the new governments (so that the per-government structures of many
   governments are built in the same processes), then each worker's resident memory.

The client shares the machine's two cores with the server in both rounds alike: the ratios are
the figures to compare."""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.portal import Gunicorn, portal_env, prepare  # noqa: E402

SETTINGS = "bench.scale.settings"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/minga_bench_scale"
DEMO = ("manabi", "portoviejo", "manta")
TEMPLATE = "manta"
PUBLIC_PATHS = ("", "institucion/organigrama/", "datos/", "presupuesto/", "obras/", "contratacion/")
WORDS = (
    "agua", "obras", "vial", "salud", "presupuesto", "riego", "puente", "escuela", "ambiente", "turismo",
    "contratos", "mantenimiento", "asfalto", "alcantarillado", "consultoría", "equipos", "limpieza", "parque",
)
RESULTS = REPO / "bench" / "results"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def load(base: str, paths: list[str], *, concurrency: int) -> dict:
    """Request every path once, `concurrency` keep-alive clients at a time; latencies in ms."""
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    queue = list(paths)
    lock = threading.Lock()
    times: list[float] = []
    failures: list[str] = []

    def client():
        connection = http.client.HTTPConnection(host, int(port), timeout=120)
        while True:
            with lock:
                if not queue:
                    break
                path = queue.pop()
            started = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=120)
                status = 0
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if status == 200:
                    times.append(elapsed)
                else:
                    failures.append(f"{status} {path}")
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not times:
        raise RuntimeError(f"no request answered 200: {failures[:5]}")
    return {
        "requests": len(times),
        "failures": len(failures),
        "failed": failures[:5],
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
    }


def groups(slugs: list[str], requests: int, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)

    def spread(make):
        paths = [make(rng.choice(slugs)) for _ in range(requests)]
        rng.shuffle(paths)
        return paths

    return {
        "public pages": spread(lambda slug: f"/g/{slug}/{rng.choice(PUBLIC_PATHS)}"),
        "catalog search": spread(lambda slug: f"/g/{slug}/datos/?q={urllib.parse.quote(rng.choice(WORDS))}"),
        "contracting search": spread(
            lambda slug: f"/g/{slug}/contratacion/?q={urllib.parse.quote(rng.choice(WORDS))}"
        ),
    }


def worker_memory(server: Gunicorn) -> list[int]:
    """Resident memory (MiB) of each gunicorn worker (children of the arbiter)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(server.process.pid):
            found.append(int(fields["VmRSS"].split()[0]) // 1024)
    return sorted(found)


def database(url: str, action: str) -> None:
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    if action == "create":
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", admin, "-qc", sql], check=True)


def generate(var_dir: Path, env: dict) -> dict:
    """Add the governments in a child process with the portal's settings."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "scale" / "populate.py"), TEMPLATE],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise RuntimeError(f"populate failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    summary["seconds"] = round(time.perf_counter() - started, 1)
    return summary


def measure(var_dir: Path, env_extra: dict, rounds: dict[str, dict[str, list[str]]], workers: int, concurrency: int):
    previous = {key: os.environ.get(key) for key in env_extra}
    os.environ.update(env_extra)
    try:
        server = Gunicorn(var_dir, workers=workers, settings=SETTINGS, ready_path="/g/manabi/")
        server.start(timeout=180)
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    figures: dict[str, dict] = {}
    try:
        for label, paths in rounds.items():
            load(server.base_url, paths[: max(10, len(paths) // 10)], concurrency=concurrency)  # warm-up
            figures[label] = load(server.base_url, paths, concurrency=concurrency)
            print(
                f"  {label:<42} p50 {figures[label]['p50_ms']:7.1f} ms  p95 {figures[label]['p95_ms']:7.1f} ms"
                f"  ({figures[label]['requests']} ok, {figures[label]['failures']} failed)",
                flush=True,
            )
        figures["worker memory (MiB)"] = worker_memory(server)
        print(f"  worker memory: {figures['worker memory (MiB)']} MiB", flush=True)
    finally:
        server.stop()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("MINGA_BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--requests", type=int, default=600, help="requests per group (default 600)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--sample", type=int, default=300, help="new governments visited in round B")
    args = parser.parse_args()

    env_extra = {"MINGA_BENCH_DATABASE_URL": args.database_url, "MINGA_PUBLIC_PAGE_CACHE_SECONDS": "0"}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="minga-scale-") as tmp:
        var_dir = Path(tmp)
        database(args.database_url, "create")
        os.environ.update(env_extra)
        started = time.perf_counter()
        prepare(var_dir, settings=SETTINGS)
        print(f"demo ready in {time.perf_counter() - started:.0f} s", flush=True)

        print("Round A: the three demo governments alone", flush=True)
        round_a = measure(var_dir, env_extra, groups(list(DEMO), args.requests, 1), args.workers, args.concurrency)

        print("Adding the governments of the whole country…", flush=True)
        population = generate(var_dir, portal_env(var_dir, SETTINGS) | env_extra)
        print(f"  {population['governments']:,} governments, {population['rows']:,} rows in {population['seconds']} s")

        print("Round B: the same demo governments among all", flush=True)
        rng = random.Random(3)
        sample = rng.sample(population["slugs"], min(args.sample, len(population["slugs"])))
        rounds_b = groups(list(DEMO), args.requests, 1)
        rounds_b.update(
            {f"{label} (new governments)": paths for label, paths in groups(sample, args.requests, 2).items()}
        )
        round_b = measure(var_dir, env_extra, rounds_b, args.workers, args.concurrency)

    print()
    print(f"{'group':<42} {'p95 A':>9} {'p95 B':>9} {'B / A':>7}")
    ratios = {}
    for label in ("public pages", "catalog search", "contracting search"):
        for suffix in ("", " (new governments)"):
            b = round_b[label + suffix]["p95_ms"]
            a = round_a[label]["p95_ms"]
            ratios[label + suffix] = round(b / a, 2)
            print(f"{label + suffix:<42} {a:9.1f} {b:9.1f} {b / a:7.2f}")
    print(f"worker memory A {round_a['worker memory (MiB)']} MiB, B {round_b['worker memory (MiB)']} MiB")

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"scale-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_before": load_before},
                "arguments": vars(args),
                "population": {key: value for key, value in population.items() if key != "slugs"},
                "round_a": round_a,
                "round_b": round_b,
                "p95_ratio_b_over_a": ratios,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"raw figures: {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
