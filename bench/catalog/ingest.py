"""Ingest: the generated Spanish-format CSV to a queryable table (typed, counted, indexed).

Minga's ``load_table`` on SQLite (its own datastore file) and on PostgreSQL (a scratch schema of
the ``minga_bench`` database), against ``sqlite-utils insert --csv`` on the same file, followed by
``create-index`` on the columns Minga chose to index so both end up indexed alike. Each Minga
load runs in a fresh child process; the time is the one ``load_table`` reports (reading,
inference, conversion, insert, statistics, indexes, commit), without Django's start-up.

Run as a module (``python -m bench.catalog.ingest load …``) it is that child process."""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.catalog.common import PG_URL, WORK, child_env, ensure_pg_database, run_child

TABLE_ID = "bench_large"
PG_SCHEMA = "bench_datastore"


# child ---------------------------------------------------------------------------------------


def _child_load(csv_path: str) -> dict:
    import django

    django.setup()
    from django.db import connection

    from minga.datastore import load_table

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{PG_SCHEMA}" CASCADE')
    cpu = time.process_time()
    report = load_table(table_id=TABLE_ID, source=csv_path, filename=Path(csv_path).name, max_bytes=2 * 1024**3)
    return {
        "ok": report.ok,
        "seconds": report.seconds,
        "cpu_seconds": round(time.process_time() - cpu, 3),  # this process only (not the PostgreSQL server)
        "rows": report.row_count,
        "errors": [vars(p) for p in report.errors[:5]],
        "notes": [p.code for p in report.notes],
        "file": {k: v for k, v in report.file.items() if k in ("encoding", "delimiter", "total_row")},
        "columns": [
            {"name": c.name, "label": c.label, "type": str(c.type), "indexed": c.indexed} for c in report.columns
        ],
        "vendor": connection.vendor,
    }


# parent --------------------------------------------------------------------------------------


def minga_load(csv_path: Path, *, engine: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="minga-ingest-", dir=WORK) as tmp:
        env = child_env(
            Path(tmp),
            database_url=PG_URL if engine == "postgresql" else None,
            MINGA_DATASTORE_PG_SCHEMA=PG_SCHEMA,
        )
        result = run_child("bench.catalog.ingest", ["load", str(csv_path)], env)
        if engine == "sqlite":
            result["datastore_bytes"] = sum(p.stat().st_size for p in Path(tmp).glob("datastore.sqlite3*"))
    if not result["ok"]:
        raise RuntimeError(f"Minga's load failed on {engine}: {result['errors']}")
    return result


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sqlite_utils_load(csv_path: Path, *, bin_dir: Path, index_labels: list[str], db_path: Path) -> dict:
    """The peer, as documented: ``insert --csv`` (types detected by default in 4.x), then one index
    per column Minga indexed (sqlite-utils' Python API, in one process)."""
    db_path.unlink(missing_ok=True)
    insert = [
        str(bin_dir / "sqlite-utils"),
        "insert",
        str(db_path),
        "t",
        str(csv_path),
        "--csv",
        "--delimiter",
        ";",
        "--encoding",
        "latin-1",
    ]
    started, cpu = time.monotonic(), _children_cpu()
    subprocess.run(insert, check=True, capture_output=True)
    insert_seconds, insert_cpu = time.monotonic() - started, _children_cpu() - cpu
    script = (
        "import sqlite_utils, sys, json\n"
        "db = sqlite_utils.Database(sys.argv[1])\n"
        "for label in json.loads(sys.argv[2]):\n"
        "    db['t'].create_index([label])\n"
    )
    started, cpu = time.monotonic(), _children_cpu()
    subprocess.run([str(bin_dir / "python"), "-c", script, str(db_path), json.dumps(index_labels)], check=True)
    index_seconds, index_cpu = time.monotonic() - started, _children_cpu() - cpu
    conn = sqlite3.connect(db_path)
    try:
        types = {row[1]: row[2] for row in conn.execute('PRAGMA table_info("t")')}
        rows = conn.execute('SELECT COUNT(*) FROM "t"').fetchone()[0]
        sample = conn.execute('SELECT * FROM "t" ORDER BY rowid LIMIT 1').fetchone()
        last = conn.execute('SELECT * FROM "t" ORDER BY rowid DESC LIMIT 1').fetchone()
    finally:
        conn.close()
    return {
        "command": " ".join(["sqlite-utils", *insert[1:3], "t", csv_path.name, *insert[5:]]),
        "insert_seconds": round(insert_seconds, 3),
        "index_seconds": round(index_seconds, 3),
        "seconds": round(insert_seconds + index_seconds, 3),
        "cpu_seconds": round(insert_cpu + index_cpu, 3),
        "rows": rows,
        "types": types,
        "first_row": list(sample),
        "last_row": list(last),
        "bytes": db_path.stat().st_size,
    }


def run(csv_path: Path, *, bin_dir: Path, engines: list[str]) -> dict:
    results: dict = {"csv": {"path": csv_path.name, "bytes": csv_path.stat().st_size}}
    for engine in engines:
        if engine == "postgresql" and not ensure_pg_database(PG_URL):
            print("  PostgreSQL not reachable: skipped", flush=True)
            continue
        print(f"  Minga load_table on {engine} …", flush=True)
        results[f"minga_{engine}"] = minga_load(csv_path, engine=engine)
        print(f"    {results[f'minga_{engine}']['seconds']:.1f} s", flush=True)
    reference = results.get("minga_sqlite") or results.get("minga_postgresql")
    labels = [c["label"] for c in reference["columns"] if c["indexed"]] if reference else []
    print("  sqlite-utils insert --csv + create-index …", flush=True)
    results["sqlite_utils"] = sqlite_utils_load(
        csv_path, bin_dir=bin_dir, index_labels=labels, db_path=WORK / "sqlite-utils-bench.db"
    )
    print(f"    {results['sqlite_utils']['seconds']:.1f} s", flush=True)
    (WORK / "sqlite-utils-bench.db").unlink(missing_ok=True)
    return results


def table(results: dict) -> str:
    su = results["sqlite_utils"]
    peer, peer_cpu = su["seconds"], su["cpu_seconds"]
    lines = [
        "| loader | seconds | ÷ sqlite-utils | CPU seconds (loader process) | ÷ sqlite-utils |",
        "|---|---:|---:|---:|---:|",
    ]
    for key, label in (("minga_sqlite", "Minga on SQLite"), ("minga_postgresql", "Minga on PostgreSQL")):
        if key in results:
            row = results[key]
            lines.append(
                f"| {label} | {row['seconds']:.1f} | {row['seconds'] / peer:.2f} "
                f"| {row['cpu_seconds']:.1f} | {row['cpu_seconds'] / peer_cpu:.2f} |"
            )
    lines.append(
        f"| sqlite-utils insert --csv ({su['insert_seconds']:.1f} s) + create-index ({su['index_seconds']:.1f} s) "
        f"| {peer:.1f} | 1.00 | {peer_cpu:.1f} | 1.00 |"
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["load"])
    parser.add_argument("csv")
    args = parser.parse_args()
    print(json.dumps(_child_load(args.csv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
