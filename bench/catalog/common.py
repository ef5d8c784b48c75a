"""Shared by the catalog benchmarks: where their files live, the generated CSV, and a child
process running Django with a given database (a SQLite file or PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WORK = REPO / "var" / "bench-catalog"  # generated data and scratch databases (ignored by git)
PG_URL = os.environ.get("MINGA_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/minga_bench")

sys.path.insert(0, str(REPO))


def large_csv(rows: int) -> Path:
    """The demo's large CSV (or a smaller one of the same shape), generated once."""
    from minga.catalog import demo_large

    name = "large.csv" if rows == demo_large.ROWS else f"large-{rows}.csv"
    return demo_large.write_csv(WORK / name, rows)


def child_env(var_dir: Path, *, database_url: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        MINGA_VAR_DIR=str(var_dir),
        MINGA_DEBUG="0",
        MINGA_LOG_LEVEL="WARNING",
        MINGA_DATASET_UPLOAD_MAX_BYTES=str(2 * 1024**3),
        PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")])),
        **extra,
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_child(module: str, args: list[str], env: dict[str, str], timeout: int = 3600) -> dict:
    """Run ``python -m module args`` and return the JSON it prints on its last line."""
    result = subprocess.run(
        [sys.executable, "-m", module, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"{module} {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def ensure_pg_database(url: str) -> bool:
    """Create the scratch database if PostgreSQL answers; False when it does not."""
    try:
        import psycopg
    except ImportError:
        return False
    base, _, name = url.rpartition("/")
    try:
        with psycopg.connect(f"{base}/postgres", autocommit=True, connect_timeout=5) as conn:
            if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        return False
    return True


@contextmanager
def environ(**values: str):
    """Variables for the servers started inside (bench.portal passes its environment on)."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
